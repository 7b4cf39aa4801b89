/**
 * The plugin's gRPC surface against oversized values (issue 21, item 15): a 1 MB id, function name or URN
 * must not be echoed whole into the error (past about 64 KB a grpc-js client never receives the answer).
 */
import { servePlugin, type RunningPlugin } from "../../provider/plugin/main";
import { pulumiRpc } from "../../provider/pulumi-rpc";

const HUGE = "x".repeat(1024 * 1024);
const MIRROR_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m";

let plugin: RunningPlugin;
let client: Record<string, (request: unknown, options: { deadline: number }, done: (err: (Error & { details?: string }) | null, response: any) => void) => void> & {
  close(): void;
};

beforeAll(async () => {
  const rpc = pulumiRpc();
  plugin = await servePlugin(["127.0.0.1:1"], { GITLAB_BASE_URL: "http://127.0.0.1:1", GITLAB_TOKEN: "glpat-wire-test" });
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
