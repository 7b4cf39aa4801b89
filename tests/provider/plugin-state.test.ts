/**
 * The plugin's state against the emulator: the outputs it stores are what GitLab reports, and every
 * step works from them plus the inputs the engine records beside them, as the engine hands both back.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { closeAll } from "../../provider/gitlab";
import { createMirror } from "../support/mirror-core";
import { partialStateOf } from "../../provider/partial-state";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { api, collectingLogger, counters, createTarget, resetCounters, ROOT_TOKEN, setFaults, TARGET_PASSWORD, targetUrl, testContext } from "./support";

const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
const MIRROR_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m";
const SYNC_ROUTE = "POST /projects/:id/remote_mirrors/:mirror_id/sync";
const PUT_ROUTE = "PUT /projects/:id/remote_mirrors/:mirror_id";

/** What a password mirror's stored outputs hold: no input GitLab does not report. */
const STORED_KEYS = [
  "authMethod",
  "enabled",
  "hostKeyFingerprints",
  "keepDivergentRefs",
  "lastError",
  "lastSuccessfulUpdateAt",
  "lastUpdateAt",
  "lastUpdateStartedAt",
  "maskedUrl",
  "mirrorBranchRegex",
  "mirrorId",
  "onlyProtectedBranches",
  "projectId",
  "updateStatus",
];

let gl: RunningEmulator;
let plugin: RemoteMirrorPlugin;
let targets = 0;

beforeAll(async () => {
  gl = await startEmulator();
  plugin = new RemoteMirrorPlugin(() => undefined, {});
  plugin.configure(PROVIDER_URN, { baseUrl: gl.baseUrl, token: ROOT_TOKEN });
});

afterAll(async () => {
  await closeAll();
  await gl.close();
});

async function freshTarget(): Promise<string> {
  targets += 1;
  const path = `backup/plugin-state-${targets}`;
  await createTarget(gl.baseUrl, path, "mirror-bot", TARGET_PASSWORD);
  return targetUrl(gl.baseUrl, path);
}

/** A created mirror as the engine records it: checked inputs and the outputs create returned. */
async function created(given: Record<string, unknown>): Promise<{ id: string; inputs: Record<string, unknown>; outs: Record<string, unknown> }> {
  const inputs = plugin.check(given).inputs;
  const result = await plugin.create(MIRROR_URN, inputs);
  return { id: result.id, inputs, outs: result.outs };
}

it("create stores what GitLab reports: no URL, no project path, no sync or adopt setting", async () => {
  const url = await freshTarget();
  const mirror = await created({ project: "demo/app", url, syncTrigger: "one" });
  expect(Object.keys(mirror.outs).sort()).toEqual(STORED_KEYS);
  expect(mirror.outs).toMatchObject({ projectId: 1, enabled: true, keepDivergentRefs: true, maskedUrl: expect.stringContaining("*****") });
  expect(JSON.stringify(mirror.outs)).not.toContain(TARGET_PASSWORD);
});

it("refresh finds a change made outside Pulumi from the stored outputs and the recorded inputs", async () => {
  const url = await freshTarget();
  const mirror = await created({ project: "demo/app", url });
  const mirrorId = mirror.outs.mirrorId as number;
  expect((await api(gl.baseUrl, "PUT", `/projects/1/remote_mirrors/${mirrorId}`, { enabled: false })).status).toBe(200);

  const read = await plugin.read(MIRROR_URN, mirror.id, mirror.outs, mirror.inputs);
  expect(Object.keys(read.props ?? {}).sort()).toEqual(STORED_KEYS);
  expect(read.props).toMatchObject({ enabled: false, mirrorId });
  expect(read.inputs).toMatchObject({ project: "demo/app", url, enabled: false });
  expect(plugin.diff(read.props!, mirror.inputs, read.inputs)).toMatchObject({ changes: true, replaces: [], detailed: { enabled: "update" } });
});

it("refresh of a mirror as recorded answers no inputs, so the engine keeps the recorded ones", async () => {
  const url = await freshTarget();
  const mirror = await created({ project: "demo/app", url, syncOnApply: false, syncTimeoutSeconds: 60 });
  const read = await plugin.read(MIRROR_URN, mirror.id, mirror.outs, mirror.inputs);
  expect(read.inputs).toBeUndefined();
  expect(read.props).toEqual({ ...mirror.outs, updateStatus: expect.any(String) });
  // Inputs recorded by an earlier version (every default written out) are answered in today's shape.
  const older = await plugin.read(MIRROR_URN, mirror.id, mirror.outs, { ...mirror.inputs, adopt: false });
  expect(older.inputs).toEqual(mirror.inputs);
});

it("a syncTrigger change, seen in the recorded inputs, sends the sync and no PUT", async () => {
  const url = await freshTarget();
  const mirror = await created({ project: 1, url, syncTrigger: "one" });
  const news = plugin.check({ project: 1, url, syncTrigger: "two" }).inputs;
  expect(plugin.diff(mirror.outs, news, mirror.inputs)).toMatchObject({ changes: true, replaces: [], detailed: { syncTrigger: "update" } });

  await resetCounters(gl.baseUrl);
  const updated = await plugin.update(MIRROR_URN, mirror.id, mirror.outs, news, mirror.inputs);
  expect((await counters(gl.baseUrl)).routes).toEqual({ [SYNC_ROUTE]: 1 });
  expect(Object.keys(updated.outs).sort()).toEqual(STORED_KEYS);
});

it("a sync that fails after the PUT records compact outputs marked for another sync", async () => {
  const url = await freshTarget();
  const mirror = await created({ project: 1, url, syncOnApply: true });
  await setFaults(gl.baseUrl, { routes: [SYNC_ROUTE], errors: { status: 400, count: 1 } });
  const news = plugin.check({ project: 1, url, syncOnApply: true, enabled: false }).inputs;
  const failure = await plugin.update(MIRROR_URN, mirror.id, mirror.outs, { ...news, enabled: true, keepDivergentRefs: false }, mirror.inputs).then(
    () => undefined,
    (err: unknown) => err,
  );
  const partial = partialStateOf(failure);
  expect(partial?.id).toBe(mirror.id);
  expect(partial?.properties).toMatchObject({ syncPending: true, keepDivergentRefs: false });
  expect(partial?.properties).not.toHaveProperty("url");
  expect(partial?.properties).not.toHaveProperty("syncOnApply");
});

it("a state written when every input was also an output still updates and deletes", async () => {
  const url = await freshTarget();
  const inputs = plugin.check({ project: "demo/app", url }).inputs;
  const full = await createMirror(inputs, testContext(gl.baseUrl, ROOT_TOKEN, collectingLogger()));
  const olds = { ...full.state } as Record<string, unknown>;
  expect(olds).toHaveProperty("url", url);

  await resetCounters(gl.baseUrl);
  const news = plugin.check({ project: "demo/app", url, enabled: false }).inputs;
  const updated = await plugin.update(MIRROR_URN, full.id, olds, news, inputs);
  expect(updated.outs).toMatchObject({ enabled: false });
  expect(updated.outs).not.toHaveProperty("url");
  await plugin.delete(MIRROR_URN, full.id, olds, inputs);
  expect((await counters(gl.baseUrl)).routes).toEqual({ [PUT_ROUTE]: 1, "DELETE /projects/:id/remote_mirrors/:mirror_id": 1 });
});
