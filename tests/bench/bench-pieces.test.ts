/**
 * The fleet benchmark's own pieces (scripts/bench): the YAML program it generates, how it reads the
 * CLI's summary, its no-op plugin started by its executable as the engine starts it (the compiled
 * entry in dist/, as `make test` builds it), and the no-op's diagnostic state shaped like our plugin's.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { parseResourceSummary } from "../../harness/cli-stack";
import { NOOP_MIRROR_TOKEN, noopProvider, noopStateFrom } from "../../harness/bench/noop-plugin/provider";
import { OUTPUT_ONLY_FIELDS, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { analyseProfile } from "../../harness/bench/profile";
import { yamlFleetProgram } from "../../harness/bench/programs";

const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");

const REPO_ROOT = path.resolve(__dirname, "../..");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

describe("yamlFleetProgram", () => {
  const text = yamlFleetProgram({ packageName: "gitlab-mirrors", pluginDir: "/opt/gitlab-mirrors", count: 23 });

  test("declares the plugin under packages: and one RemoteMirror per mirror", () => {
    expect(text).toMatch(/^packages:\n {2}gitlab-mirrors: \/opt\/gitlab-mirrors$/m);
    expect(text.match(/^ {4}type: gitlab-mirrors:index:RemoteMirror$/gm)).toHaveLength(23);
    expect(text).toMatch(/^ {2}app-0:$/m);
    expect(text).toMatch(/^ {2}app-22:$/m);
    expect(text).not.toMatch(/^ {2}app-23:$/m);
  });

  test("puts ten mirrors in a project, never syncs, and takes enabled from the stack's config", () => {
    expect(text.match(/project: fleet\/p-0$/gm)).toHaveLength(10);
    expect(text.match(/project: fleet\/p-2$/gm)).toHaveLength(3);
    expect(text.match(/syncOnApply: false$/gm)).toHaveLength(23);
    expect(text.match(/enabled: \$\{enabled\}$/gm)).toHaveLength(23);
  });

  test("builds each URL from the secret config value, so the password is never in the program", () => {
    expect(text).toContain("url: https://fleet-bot:${targetToken}@mirror.example.com/fleet/app-7.git");
    expect(text).toMatch(/^ {2}targetToken:\n {4}type: string$/m);
  });
});

describe("parseResourceSummary", () => {
  test.each([
    ["up", "Updating (bench):\n...\nResources:\n    + 201 created\n\nDuration: 25s\n", { create: 201 }],
    ["preview", "Previewing update (bench):\n\nResources:\n    201 unchanged\n", { same: 201 }],
    ["disable", "Resources:\n    ~ 200 updated\n    1 unchanged\n\nDuration: 9s\n", { update: 200, same: 1 }],
    ["destroy", "Resources:\n    - 201 deleted\n\nDuration: 3s\n", { delete: 201 }],
    ["replace", "Resources:\n    +-1 replaced\n    1 unchanged\n\nDuration: 4s\n", { replace: 1, same: 1 }],
  ])("reads the counts of %s", (_phase, stdout, expected) => {
    expect(parseResourceSummary(stdout)).toEqual(expected);
  });

  test("reads the last Resources: block only", () => {
    expect(parseResourceSummary("Resources:\n    + 3 to create\n\nResources:\n    + 3 created\n")).toEqual({ create: 3 });
  });
});

describe("analyseProfile", () => {
  // root -> program -> Resource.callsites -> a Node.js frame; program -> grpc -> http2; root -> timers; root -> idle.
  const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
  const profile = {
    nodes: [
      frame(1, "(root)", "", [2, 6, 7]),
      frame(2, "", "file:///fleet/dist/examples/fleet/index.js", [3, 5]),
      frame(3, "callsites", "file:///fleet/node_modules/@pulumi/pulumi/resource.js", [4]),
      frame(4, "split", "node:internal/util"),
      frame(5, "sendUnaryRequest", "file:///fleet/node_modules/@grpc/grpc-js/build/src/client.js", [8]),
      frame(6, "listOnTimeout", "node:internal/timers"),
      frame(7, "(idle)", ""),
      frame(8, "write", "node:internal/http2/core"),
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [4, 4, 8, 6, 7, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
  };

  test("charges each sample to the first category from its leaf up; Node's frames only when no library claims them", () => {
    expect(analyseProfile(profile)).toEqual({
      totalMs: 10,
      byCategory: {
        "stack-trace capture and source mapping": 2,
        "gRPC and protobuf": 1,
        "Node.js internals (http2, streams, timers)": 1,
        idle: 1,
        other: 1,
      },
    });
  });
});

describe("the no-op plugin, started by pulumi-resource-noop-mirrors, over gRPC", () => {
  let plugin: ChildProcess;
  let client: { close(): void } & Record<string, Function>;
  const urn = `urn:pulumi:bench::fleet::${NOOP_MIRROR_TOKEN}::app-0`;
  const secretUrl = { [SECRET_SIG]: "1b47061264138c4ac30d75fd1eb44270", value: "https://fleet-bot:t0ken@mirror.example.com/fleet/app-0.git" };
  const inputs = { project: "fleet/p-0", url: secretUrl, enabled: true, syncOnApply: false };

  function call(method: string, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, response: unknown) => (err ? reject(err) : resolve(response))));
  }
  const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as never);

  beforeAll(async () => {
    plugin = spawn(path.join(REPO_ROOT, "harness", "bench", "noop-plugin", "pulumi-resource-noop-mirrors"), ["127.0.0.1:1"], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    plugin.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      plugin.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (/^\d+\n/.test(out)) resolve(out.split("\n")[0]);
      });
      plugin.once("exit", (code) => reject(new Error(`the no-op plugin exited with ${code}: ${stderr}`)));
    });
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const configure = new providerPb.ConfigureRequest();
    configure.setAcceptsecrets(true);
    configure.setArgs(struct({}));
    await call("configure", configure);
  });

  afterAll(async () => {
    client?.close();
    if (plugin && plugin.exitCode === null) {
      const exited = new Promise((resolve) => plugin.once("exit", resolve));
      plugin.kill("SIGTERM");
      await exited;
    }
  });

  test("GetSchema describes its RemoteMirror with a secret url", async () => {
    const request = new providerPb.GetSchemaRequest();
    const schema = JSON.parse((await call("getSchema", request)).getSchema());
    expect(schema.name).toBe("noop-mirrors");
    expect(schema.resources[NOOP_MIRROR_TOKEN].inputProperties.url).toEqual({ type: "string", secret: true });
  });

  test("Create returns an id and echoes the inputs; Diff sees enabled change; Update echoes the news", async () => {
    const create = new providerPb.CreateRequest();
    create.setUrn(urn);
    create.setProperties(struct(inputs));
    const created = await call("create", create);
    expect(created.getId()).not.toBe("");
    const outs = created.getProperties().toJavaScript();
    expect(outs).toMatchObject({ project: "fleet/p-0", enabled: true, url: { [SECRET_SIG]: expect.any(String) } });

    const news = { ...inputs, enabled: false };
    const same = new providerPb.DiffRequest();
    same.setUrn(urn);
    same.setId(created.getId());
    same.setOlds(struct(outs));
    same.setNews(struct(inputs));
    expect((await call("diff", same)).getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_NONE);
    const changed = new providerPb.DiffRequest();
    changed.setUrn(urn);
    changed.setId(created.getId());
    changed.setOlds(struct(outs));
    changed.setNews(struct(news));
    expect((await call("diff", changed)).getChanges()).toBe(providerPb.DiffResponse.DiffChanges.DIFF_SOME);

    const update = new providerPb.UpdateRequest();
    update.setUrn(urn);
    update.setId(created.getId());
    update.setOlds(struct(outs));
    update.setNews(struct(news));
    expect((await call("update", update)).getProperties().toJavaScript()).toMatchObject({ enabled: false });
  });
});

describe("the no-op plugin recording our plugin's state (NOOP_MIRRORS_STATE=plugin)", () => {
  const urn = `urn:pulumi:bench::fleet::${NOOP_MIRROR_TOKEN}::app-0`;
  const given = { project: "fleet/p-0", url: "https://fleet-bot:t0ken@mirror.example.com/fleet/app-0.git", enabled: true, syncOnApply: false };
  const floor = noopProvider("plugin");

  test("records the inputs our plugin's Check records", async () => {
    const ours = new RemoteMirrorPlugin(() => undefined, {}).check(given).inputs;
    expect((await floor.check!(urn, {}, given)).inputs).toEqual(ours);
  });

  test("stores the outputs our plugin stores for a password mirror, no url and no project", async () => {
    const inputs = (await floor.check!(urn, {}, given)).inputs;
    const { outs } = await floor.create!(urn, inputs);
    const stored = [...REPORTED_INPUT_FIELDS, ...OUTPUT_ONLY_FIELDS.filter((name) => name !== "publicKey")];
    expect(Object.keys(outs ?? {}).sort()).toEqual(stored.sort());
    expect(outs).toMatchObject({ enabled: true, authMethod: "password", hostKeyFingerprints: [] });
  });

  test("Diff sees only a change of what both sides hold; Update records the new enabled", async () => {
    const inputs = (await floor.check!(urn, {}, given)).inputs;
    const { id, outs } = await floor.create!(urn, inputs);
    expect((await floor.diff!(id, urn, outs, inputs)).changes).toBe(false);
    const disabled = { ...inputs, enabled: false };
    expect((await floor.diff!(id, urn, outs, disabled)).changes).toBe(true);
    expect((await floor.update!(id, urn, outs, disabled)).outs).toEqual({ ...outs, enabled: false });
  });

  test("the state is chosen by inputs or plugin, and nothing else", () => {
    expect(noopStateFrom(undefined)).toBe("inputs");
    expect(noopStateFrom("plugin")).toBe("plugin");
    expect(() => noopStateFrom("mirror")).toThrow("NOOP_MIRRORS_STATE must be inputs or plugin, not mirror");
  });
});
