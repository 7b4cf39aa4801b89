/**
 * The plugin's gRPC surface against oversized values (issue 21, item 15): a 1 MB id, function name or URN
 * must not be echoed whole into the error (past about 64 KB a grpc-js client never receives the answer).
 */
import { closeAll } from "../../provider/gitlab";
import { servePlugin, type RunningPlugin } from "../../provider/plugin/main";
import { FakeGitLab } from "../unit/gitlab-fake-server";
import { unwrapSecrets, wrapSecrets } from "../../provider/plugin/marshal";
import { ENGINE_UNKNOWN } from "../../provider/engine-unknowns";
import { UNKNOWN } from "../../provider/mirror/unknown";
import { pulumiRpc } from "../../provider/pulumi-rpc";

const HUGE = "x".repeat(1024 * 1024);
const MIRROR_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m";

let plugin: RunningPlugin;
let client: Record<string, (request: unknown, options: { deadline: number }, done: (err: (Error & { details?: string }) | null, response: any) => void) => void> & {
  close(): void;
};

beforeAll(async () => {
  const rpc = pulumiRpc();
  // Nothing listens at 127.0.0.1:1: the early token check would fail Configure.
  plugin = await servePlugin(["127.0.0.1:1"], { GITLAB_MIRRORS_EARLY_AUTH_CHECK: "false" });
  client = new (rpc.grpc.makeGenericClientConstructor(rpc.providerService as never, "ResourceProvider"))(
    `127.0.0.1:${plugin.port}`,
    rpc.grpc.credentials.createInsecure(),
    { "grpc.max_send_message_length": 64 * 1024 * 1024 },
  ) as never;
  const configure = new rpc.provider.ConfigureRequest();
  configure.setArgs(rpc.Struct.fromJavaScript({ baseUrl: "http://127.0.0.1:1", token: "glpat-wire-test" }));
  await new Promise((resolve, reject) => client.configure(configure, { deadline: Date.now() + 20_000 }, (err, response) => (err ? reject(err) : resolve(response))));
});

afterAll(async () => {
  client.close();
  await plugin.close();
});

/** The call's error; the deadline only stops a test whose answer never comes (the defect). */
function errorOf(method: string, request: unknown): Promise<Error & { details?: string }> {
  return new Promise((resolve, reject) =>
    client[method](request, { deadline: Date.now() + 20_000 }, (err) => (err ? resolve(err) : reject(new Error(`${method} succeeded`)))),
  );
}

function expectShortAnswer(err: Error & { details?: string }): void {
  expect(err.details).not.toMatch(/deadline/i);
  expect((err.details ?? "").length).toBeLessThan(20_000);
  expect(err.details).toContain("characters in all");
}

it("Invoke of a 1 MB function name answers with a short error", async () => {
  const rpc = pulumiRpc();
  const request = new rpc.provider.InvokeRequest();
  request.setTok(HUGE);
  request.setArgs(rpc.Struct.fromJavaScript({}));
  expectShortAnswer(await errorOf("invoke", request));
});

it("Check of a 1 MB URN answers with a short error", async () => {
  const rpc = pulumiRpc();
  const request = new rpc.provider.CheckRequest();
  request.setUrn(`urn:pulumi:dev::proj::${HUGE}::m`);
  request.setNews(rpc.Struct.fromJavaScript({}));
  expectShortAnswer(await errorOf("check", request));
});

it("Delete of a 1 MB id answers with a short error", async () => {
  const rpc = pulumiRpc();
  const request = new rpc.provider.DeleteRequest();
  request.setUrn(MIRROR_URN);
  request.setId(`1:${HUGE}`);
  request.setProperties(rpc.Struct.fromJavaScript({}));
  expectShortAnswer(await errorOf("delete", request));
});

// Issue 21, item 5, beyond Check: an error of any call quoted an input the program marked secret
// (a create's own validation quotes an invalid regex, and the engine prints the message as it is).
it("Create's error never quotes an input the request marked secret", async () => {
  const rpc = pulumiRpc();
  const request = new rpc.provider.CreateRequest();
  request.setUrn(MIRROR_URN);
  request.setProperties(
    rpc.Struct.fromJavaScript(
      wrapSecrets({ project: 1, url: "https://bot:pw-wire@example.com/g/p.git", mirrorBranchRegex: "(glpat-regex-wire" }, ["mirrorBranchRegex", "url"]) as never,
    ),
  );
  const err = await errorOf("create", request);
  expect(err.details).toContain("mirrorBranchRegex");
  expect(err.details).not.toContain("glpat-regex-wire");
  expect(err.details).not.toContain("pw-wire");
});

/** The answer of a call that must succeed. */
function answerOf(method: string, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => client[method](request, { deadline: Date.now() + 20_000 }, (err, response) => (err ? reject(err) : resolve(response))));
}

// Issue 20, item 1: the engine's unknown marker is decoded at the wire into the core's own, and encoded back.
describe("the preview's unknown values on the wire", () => {
  const SET_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:ProjectMirrors::s";
  const checkOf = async (urn: string, news: Record<string, unknown>) => {
    const rpc = pulumiRpc();
    const request = new rpc.provider.CheckRequest();
    request.setUrn(urn);
    request.setNews(rpc.Struct.fromJavaScript(news as never));
    const response = await answerOf("check", request);
    const raw = response.getInputs().toJavaScript();
    return { failures: response.getFailuresList().map((f: any) => f.getReason()), raw, inputs: unwrapSecrets(raw) };
  };

  it("a RemoteMirror's unknown inputs pass Check and come back as the engine's unknowns", async () => {
    const { failures, raw, inputs } = await checkOf(MIRROR_URN, { project: "g/app", url: ENGINE_UNKNOWN, enabled: ENGINE_UNKNOWN, hostKeys: [ENGINE_UNKNOWN] });
    expect(failures).toEqual([]);
    expect(raw).toMatchObject({ enabled: ENGINE_UNKNOWN, hostKeys: [ENGINE_UNKNOWN] });
    expect(inputs.value).toMatchObject({ project: "g/app", url: UNKNOWN, enabled: UNKNOWN, hostKeys: [UNKNOWN] });
    expect([...inputs.secretKeys]).toEqual(["url"]);
  });

  it("a set's unknown project, entries and list pass Check and come back as the engine's unknowns", async () => {
    const entries = await checkOf(SET_URN, { project: ENGINE_UNKNOWN, mirrors: [{ url: ENGINE_UNKNOWN }, ENGINE_UNKNOWN] });
    expect(entries.failures).toEqual([]);
    expect(entries.raw).toMatchObject({ project: ENGINE_UNKNOWN, mirrors: [{}, ENGINE_UNKNOWN] });
    expect(entries.inputs.value).toMatchObject({ project: UNKNOWN, mirrors: [{ url: UNKNOWN, enabled: true }, UNKNOWN] });
    const list = await checkOf(SET_URN, { project: 1, mirrors: ENGINE_UNKNOWN });
    expect(list.failures).toEqual([]);
    expect(list.inputs.value).toEqual({ project: 1, mirrors: UNKNOWN });
  });
});

/**
 * The early token check (issue 21, item 21): one GET /user per provider instance at Configure, so a wrong
 * token fails at preview naming the setting; switchable off by setting and by environment variable.
 */
describe("the early token check", () => {
  const DEFAULT_PROVIDER = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
  const EXPLICIT_PROVIDER = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::east";
  let gitlab: FakeGitLab;
  let own: RunningPlugin;
  let ownClient: typeof client;

  beforeEach(async () => {
    gitlab = await FakeGitLab.start();
  });

  afterEach(async () => {
    ownClient?.close();
    await own?.close();
    await gitlab.close();
    await closeAll();
  });

  async function configure(env: NodeJS.ProcessEnv, urn: string, args: Record<string, unknown>, variables: Record<string, string> = {}): Promise<Error | undefined> {
    const rpc = pulumiRpc();
    own = await servePlugin(["127.0.0.1:1"], env);
    ownClient = new (rpc.grpc.makeGenericClientConstructor(rpc.providerService as never, "ResourceProvider"))(
      `127.0.0.1:${own.port}`,
      rpc.grpc.credentials.createInsecure(),
    ) as never;
    const request = new rpc.provider.ConfigureRequest();
    request.setUrn(urn);
    request.setArgs(rpc.Struct.fromJavaScript(args as never));
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(`gitlab-mirrors:config:${key}`, value);
    return new Promise((resolve) => ownClient.configure(request, { deadline: Date.now() + 30_000 }, (err) => resolve(err ?? undefined)));
  }

  const TOKEN = "glpat-early-check-token";

  it("a token GitLab refuses fails Configure, naming the setting and how to skip the check, never the token", async () => {
    gitlab.on("GET", "/user", { status: 401, json: { message: "401 Unauthorized" } });
    const err = await configure({}, DEFAULT_PROVIDER, { baseUrl: gitlab.origin, token: TOKEN });
    expect(err?.message).toContain("gitlab-mirrors:token");
    expect(err?.message).toContain("401 Unauthorized");
    expect(err?.message).toContain("gitlab-mirrors:earlyAuthCheck");
    expect(err?.message).toContain("GITLAB_MIRRORS_EARLY_AUTH_CHECK=false");
    expect(err?.message).not.toContain(TOKEN);
    expect(gitlab.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v4/user"]);
    expect(gitlab.requests[0].headers["private-token"]).toBe(TOKEN);
  });

  it("an explicit provider's refused token is named as its argument", async () => {
    gitlab.on("GET", "/user", { status: 401, json: { message: "401 Unauthorized" } });
    const err = await configure({}, EXPLICIT_PROVIDER, { baseUrl: gitlab.origin, token: TOKEN });
    expect(err?.message).toContain("the provider's token");
    expect(err?.message).toContain("the provider's earlyAuthCheck");
  });

  it("a token without the scope to read its user fails naming the scope", async () => {
    gitlab.on("GET", "/user", { status: 403, json: { error: "insufficient_scope" } });
    const err = await configure({}, DEFAULT_PROVIDER, { baseUrl: gitlab.origin, token: TOKEN });
    expect(err?.message).toContain("gitlab-mirrors:token");
    expect(err?.message).toContain("api scope");
  });

  it("a good token costs exactly one GET /user", async () => {
    gitlab.on("GET", "/user", { status: 200, json: { id: 1, username: "root" } });
    expect(await configure({}, DEFAULT_PROVIDER, {}, { baseUrl: gitlab.origin, token: TOKEN })).toBeUndefined();
    expect(gitlab.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v4/user"]);
  });

  it.each<[string, NodeJS.ProcessEnv, Record<string, unknown>, Record<string, string>]>([
    ["the provider argument earlyAuthCheck: false", {}, { earlyAuthCheck: false }, {}],
    ["the stack config gitlab-mirrors:earlyAuthCheck false", {}, {}, { earlyAuthCheck: "false" }],
    ["GITLAB_MIRRORS_EARLY_AUTH_CHECK=false", { GITLAB_MIRRORS_EARLY_AUTH_CHECK: "false" }, {}, {}],
  ])("%s switches it off: no request", async (_how, env, args, variables) => {
    gitlab.on("GET", "/user", { status: 401, json: { message: "401 Unauthorized" } });
    expect(await configure(env, DEFAULT_PROVIDER, { baseUrl: gitlab.origin, token: TOKEN, ...args }, variables)).toBeUndefined();
    expect(gitlab.requests).toEqual([]);
  });

  it("a setting that is on wins over the environment's off", async () => {
    gitlab.on("GET", "/user", { status: 401, json: { message: "401 Unauthorized" } });
    const err = await configure({ GITLAB_MIRRORS_EARLY_AUTH_CHECK: "false" }, DEFAULT_PROVIDER, { baseUrl: gitlab.origin, token: TOKEN, earlyAuthCheck: true });
    expect(err?.message).toContain("401");
  });
});
