/**
 * GitLab's scheduling back-off (syncBackoff on) on an injected clock: a sync within 5 minutes
 * of the last start (1 minute for protected-only mirrors) waits out the window; the API still
 * answers 204.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ManualClock, type RunningEmulator } from "../../emulator";
import { call, remoteRefs, startTestEmulator, tempDir, withAuth, WorkTree, ROOT_TOKEN, TARGET_PASSWORD, TARGET_USER } from "./helpers";

const clock = new ManualClock(Date.UTC(2026, 2, 1, 9, 0, 0));
let emulator: RunningEmulator;
let work: string;
let tree: WorkTree;
const root = { token: ROOT_TOKEN };

beforeAll(async () => {
  work = tempDir("backoff");
  emulator = await startTestEmulator({
    clock,
    seed: {
      settings: { syncBackoff: true },
      users: [{ username: "root", admin: true, tokens: [{ token: ROOT_TOKEN, scopes: ["api"] }] }],
      projects: [{ id: 1, path: "demo/app", visibility: "private", members: {}, protectedBranches: ["main"], defaultBranch: "main" }],
      targets: [
        { path: "backup/app", username: TARGET_USER, password: TARGET_PASSWORD },
        { path: "backup/protected", username: TARGET_USER, password: TARGET_PASSWORD },
      ],
    },
  });
  tree = await WorkTree.clone(withAuth(`${emulator.baseUrl}/demo/app.git`, "root", ROOT_TOKEN), path.join(work, "clone"));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function push(message: string): Promise<string> {
  const head = await tree.commit(message, "main");
  await tree.run(["push", "--quiet", "origin", "main"]);
  await emulator.idle();
  return head;
}

async function targetMain(target: string): Promise<string | undefined> {
  return (await remoteRefs(withAuth(`${emulator.baseUrl}/-/targets/${target}.git`, TARGET_USER, TARGET_PASSWORD)))["refs/heads/main"];
}

describe("sync back-off", () => {
  it("delays a run that falls within 5 minutes of the last start until the window has passed", async () => {
    const url = withAuth(`${emulator.baseUrl}/-/targets/backup/app.git`, TARGET_USER, TARGET_PASSWORD);
    const created = await call(emulator.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json: { url, enabled: true } });
    const first = await push("first");
    expect(await targetMain("backup/app")).toBe(first);

    clock.advance(60_000);
    const second = await push("second");
    const sync = await call(emulator.apiUrl, "POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root);
    expect(sync.status).toBe(204);
    await emulator.idle();
    expect(await targetMain("backup/app")).toBe(first);

    clock.advance(299_000);
    await emulator.idle();
    expect(await targetMain("backup/app")).toBe(first);
    clock.advance(1_000);
    await emulator.idle();
    expect(await targetMain("backup/app")).toBe(second);
    const mirror = (await call(emulator.apiUrl, "GET", `/projects/1/remote_mirrors/${created.body.id}`, root)).body;
    expect(mirror).toMatchObject({ update_status: "finished", last_update_started_at: new Date(clock.now()).toISOString() });
    await call(emulator.apiUrl, "DELETE", `/projects/1/remote_mirrors/${created.body.id}`, root);
  });

  it("uses a 1 minute window for only_protected_branches mirrors", async () => {
    const url = withAuth(`${emulator.baseUrl}/-/targets/backup/protected.git`, TARGET_USER, TARGET_PASSWORD);
    const created = await call(emulator.apiUrl, "POST", "/projects/1/remote_mirrors", { ...root, json: { url, enabled: true, only_protected_branches: true } });
    await call(emulator.apiUrl, "POST", `/projects/1/remote_mirrors/${created.body.id}/sync`, root);
    await emulator.idle();
    const next = await push("third");
    expect(await targetMain("backup/protected")).not.toBe(next);
    clock.advance(60_000);
    await emulator.idle();
    expect(await targetMain("backup/protected")).toBe(next);
  });
});
