/**
 * The serialized provider driven through Pulumi's real dynamic provider host over gRPC
 * (`@pulumi/pulumi/cmd/dynamic-provider`), against the emulator: catches serialization and loading
 * breakage without the CLI: the host takes any address argument, prints its port, and is called with
 * `@pulumi/pulumi/proto`'s `ResourceProviderClient`.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { remoteMirrorProvider } from "../../provider/dynamic/serialized-provider";
import { ENGINE_UNKNOWN } from "../../provider/engine-unknowns";

const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");

const REPO_ROOT = resolve(__dirname, "../..");
const ROOT_TOKEN = "glpat-emulator-root-token";
const TARGET_PASSWORD = "emulator-target-password";
const URN = "urn:pulumi:dev::host-test::pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror::backup";

type Props = Record<string, unknown>;

let gl: RunningEmulator;
let host: ChildProcess;
let client: { close(): void } & Record<string, Function>;
let providerText: string;
let stderr = "";

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    client[method](request, (err: grpc.ServiceError | null, response: T) => (err ? reject(err) : resolvePromise(response)));
  });
}

const struct = (value: Props) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
const withProvider = (props: Props): Props => ({ ...props, __provider: providerText });

async function check(news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const req = new providerPb.CheckRequest();
  req.setUrn(URN);
  req.setOlds(struct({}));
  req.setNews(struct(withProvider(news)));
  const res = await call<any>("check", req);
  return {
    inputs: res.getInputs().toJavaScript(),
    failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

async function create(inputs: Props): Promise<{ id: string; outs: Props }> {
  const req = new providerPb.CreateRequest();
  req.setUrn(URN);
  req.setProperties(struct(withProvider(inputs)));
  const res = await call<any>("create", req);
  return { id: res.getId(), outs: res.getProperties().toJavaScript() };
}

async function read(id: string, props: Props): Promise<{ id: string; props: Props; inputs: Props | undefined }> {
  const req = new providerPb.ReadRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setProperties(struct(props));
  const res = await call<any>("read", req);
  return { id: res.getId(), props: res.getProperties()?.toJavaScript() ?? {}, inputs: res.getInputs()?.toJavaScript() };
}

async function diff(id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }> {
  const req = new providerPb.DiffRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setOlds(struct(olds));
  req.setNews(struct(withProvider(news)));
  const res = await call<any>("diff", req);
  return { changes: res.getChanges(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
}

async function update(id: string, olds: Props, news: Props): Promise<Props> {
  const req = new providerPb.UpdateRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setOlds(struct(olds));
  req.setNews(struct(withProvider(news)));
  return (await call<any>("update", req)).getProperties().toJavaScript();
}

async function remove(id: string, props: Props): Promise<void> {
  const req = new providerPb.DeleteRequest();
  req.setId(id);
  req.setUrn(URN);
  req.setProperties(struct(props));
  await call("delete", req);
}

async function emulatorApi(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gl.apiUrl}${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": ROOT_TOKEN, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

async function newTarget(path: string, password = TARGET_PASSWORD): Promise<string> {
  const res = await fetch(`${gl.baseUrl}/-/emulator/targets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path, username: "mirror-bot", password: TARGET_PASSWORD }),
  });
  expect(res.status).toBe(201);
  const url = new URL(`${gl.baseUrl}/-/targets/${path}.git`);
  url.username = "mirror-bot";
  url.password = password;
  return url.toString();
}

beforeAll(async () => {
  // The host loads gitlab-mirrors/provider/dynamic/handlers from dist/ (through node_modules/gitlab-mirrors).
  await promisify(execFile)(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: REPO_ROOT,
    timeout: 240_000,
  });
  gl = await startEmulator();
  const provider = remoteMirrorProvider;
  providerText = (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;

  // GITLAB_MIRRORS_LOG=debug: the routine steps' lines too, which the lifecycle test below reads.
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_PROJECT: "host-test", GITLAB_MIRRORS_POLL_INTERVAL_MS: "50", GITLAB_MIRRORS_LOG: "debug" };
  delete env.GITLAB_TOKEN;
  delete env.GITLAB_BASE_URL;
  host = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  host.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const port = await new Promise<string>((resolvePort, reject) => {
    let out = "";
    host.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const line = out.split("\n")[0].trim();
      if (out.includes("\n") && /^\d+$/.test(line)) resolvePort(line);
    });
    host.once("exit", (code) => reject(new Error(`dynamic provider host exited with ${code}: ${stderr}`)));
  });
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  const configure = new providerPb.ConfigureRequest();
  configure.setArgs(struct({ "gitlab:baseUrl": gl.baseUrl, "gitlab:token": ROOT_TOKEN }));
  await call("configure", configure);
}, 300_000);

afterAll(async () => {
  client?.close();
  if (host && host.exitCode === null) {
    const exited = new Promise((r) => host.once("exit", r));
    host.kill();
    await exited;
  }
  await gl?.close();
});

describe("the dynamic provider through Pulumi's dynamic-provider host over gRPC", () => {
  it("check reports every bad input with its property, and tolerates unknowns", async () => {
    const bad = await check({ project: "app", url: `git@127.0.0.1:backup/app.git`, enabled: "yes" });
    expect(bad.failures).toEqual([
      { property: "project", reason: 'must be a numeric id or the project\'s full path such as "group/app" (no leading, trailing or double slashes, no spaces)' },
      // A secret input's failure names it in the reason: the engine would print the value next to a property.
      { property: "", reason: "url scp-style addresses (user@host:path) are not URLs and GitLab rejects them; write it as ssh://git@127.0.0.1/backup/app.git" },
      { property: "enabled", reason: "must be true or false" },
    ]);
    const preview = await check({ project: "demo/app", url: ENGINE_UNKNOWN, enabled: ENGINE_UNKNOWN });
    expect(preview.failures).toEqual([]);
    expect(preview.inputs.__provider).toBe(providerText);
  });

  it("create, read, diff, update and delete a mirror in the emulator", async () => {
    const url = await newTarget("backup/host-lifecycle");
    const inputs = { project: "demo/app", url };
    expect((await check(inputs)).failures).toEqual([]);

    const created = await create(inputs);
    const mirrorId = created.outs.mirrorId as number;
    expect(created.id).toBe(`1:${mirrorId}`);
    expect(created.outs).toMatchObject({ projectId: 1, enabled: true, url, __provider: providerText });
    expect((await emulatorApi("GET", `/projects/1/remote_mirrors/${mirrorId}`)).body).toMatchObject({ id: mirrorId, enabled: true });
    expect(stderr).toContain(`[gitlab-mirrors] demo/app: created mirror ${mirrorId} (${gl.baseUrl}/-/targets/backup/host-lifecycle.git)`);

    await emulatorApi("PUT", `/projects/1/remote_mirrors/${mirrorId}`, { enabled: false });
    const refreshed = await read(created.id, created.outs);
    expect(refreshed.id).toBe(created.id);
    expect(refreshed.props).toMatchObject({ enabled: false, url, __provider: providerText });
    expect(refreshed.inputs).toMatchObject({ enabled: false, project: "demo/app", url });

    const DIFF_NONE = providerPb.DiffResponse.DiffChanges.DIFF_NONE;
    const DIFF_SOME = providerPb.DiffResponse.DiffChanges.DIFF_SOME;
    expect(await diff(created.id, refreshed.props, inputs)).toEqual({ changes: DIFF_SOME, replaces: [], deleteBeforeReplace: false });
    expect(await diff(created.id, created.outs, inputs)).toEqual({ changes: DIFF_NONE, replaces: [], deleteBeforeReplace: false });
    expect(await diff(created.id, created.outs, { ...inputs, url: url.replace(TARGET_PASSWORD, "rotated") })).toEqual({
      changes: DIFF_SOME,
      replaces: ["url"],
      deleteBeforeReplace: true,
    });

    const updated = await update(created.id, refreshed.props, inputs);
    expect(updated).toMatchObject({ enabled: true, mirrorId, __provider: providerText });
    expect((await emulatorApi("GET", `/projects/1/remote_mirrors/${mirrorId}`)).body).toMatchObject({ enabled: true });

    await remove(created.id, updated);
    expect((await emulatorApi("GET", `/projects/1/remote_mirrors/${mirrorId}`)).status).toBe(404);
    const gone = await read(created.id, updated);
    expect(gone.id).toBe("");
  });

  it("a failure after the POST still hands the engine the mirror's id and a manageable state", async () => {
    const url = await newTarget("backup/host-bad-password", "wrong-host-password");
    const err = (await create({ project: 1, url, syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60 }).catch((e) => e)) as grpc.ServiceError;
    expect(err.details).toMatch(/^Sync of mirror \d+ on project 1 failed/);
    const [detailBytes] = err.metadata.get("grpc-status-details-bin") as Buffer[];
    const status = statusPb.Status.deserializeBinary(new Uint8Array(detailBytes));
    const initFailed = providerPb.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
    const [mirror] = (await emulatorApi("GET", "/projects/1/remote_mirrors")).body as { id: number }[];
    expect(initFailed.getId()).toBe(`1:${mirror.id}`);
    const recorded = initFailed.getProperties()?.toJavaScript() ?? {};
    expect(recorded).toMatchObject({ mirrorId: mirror.id, projectId: 1, __provider: providerText });
    await remove(initFailed.getId(), recorded);
    expect((await emulatorApi("GET", "/projects/1/remote_mirrors")).body).toEqual([]);
  });

  it("never writes the token or a target password to the host's stderr", () => {
    expect(stderr.length).toBeGreaterThan(0);
    expect(stderr).not.toContain(ROOT_TOKEN);
    expect(stderr).not.toContain(TARGET_PASSWORD);
    expect(stderr).not.toContain("wrong-host-password");
  });
});
