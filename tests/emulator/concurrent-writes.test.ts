/**
 * Writes to one mirror do not interleave: a PUT that waits for key generation cannot be
 * overtaken by a later PUT whose acknowledged change it then overwrites.
 */
import type { RunningEmulator } from "../../emulator";
import { generateMirrorKey, type SshKeyPair } from "../../emulator/model/ssh-key";
import { apiClient, call, startTestEmulator, ROOT_TOKEN } from "./helpers";

let emulator: RunningEmulator;
const api = apiClient(() => emulator);
const root = { token: ROOT_TOKEN };
let key: SshKeyPair;
/** Key generation waits for the test to release it, so the window is held open, not raced. */
let releaseKey: () => void = () => undefined;
let keyRequested: () => void = () => undefined;

beforeAll(async () => {
  key = await generateMirrorKey();
  emulator = await startTestEmulator({
    generateKey: async () => {
      keyRequested();
      await new Promise<void>((resolve) => { releaseKey = resolve; });
      return key;
    },
  });
});
afterAll(async () => {
  releaseKey();
  await emulator.close();
});

async function putsReceived(): Promise<number> {
  const counters = (await call(emulator.baseUrl, "GET", "/-/emulator/counters")).body;
  return counters.routes["PUT /projects/:id/remote_mirrors/:mirror_id"] ?? 0;
}

describe("PUT /projects/:id/remote_mirrors/:mirror_id, twice at once", () => {
  it("keeps both changes when the first waits for key generation (regression: the second was acknowledged, then lost)", async () => {
    const created = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url: "ssh://git@mirror.example.com/race.git" } });
    expect(created.status).toBe(201);
    const mirror = `/projects/1/remote_mirrors/${created.body.id}`;
    const waiting = new Promise<void>((resolve) => { keyRequested = resolve; });
    const first = api("PUT", mirror, { ...root, json: { auth_method: "ssh_public_key" } });
    await waiting;
    const second = api("PUT", mirror, { ...root, json: { keep_divergent_refs: true } });
    while ((await putsReceived()) < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseKey();
    const [firstRes, secondRes] = await Promise.all([first, second]);
    expect([firstRes.status, firstRes.body.auth_method]).toEqual([200, "ssh_public_key"]);
    expect([secondRes.status, secondRes.body.keep_divergent_refs]).toEqual([200, true]);
    const final = (await api("GET", mirror, root)).body;
    expect({ auth_method: final.auth_method, keep_divergent_refs: final.keep_divergent_refs }).toEqual({ auth_method: "ssh_public_key", keep_divergent_refs: true });
    expect((await api("GET", `${mirror}/public_key`, root)).status).toBe(200);
  });

  it("lets a DELETE that arrives during a PUT's key generation wait for it, then delete", async () => {
    const created = await api("POST", "/projects/1/remote_mirrors", { ...root, json: { url: "ssh://git@mirror.example.com/race-delete.git" } });
    const mirror = `/projects/1/remote_mirrors/${created.body.id}`;
    const waiting = new Promise<void>((resolve) => { keyRequested = resolve; });
    const put = api("PUT", mirror, { ...root, json: { auth_method: "ssh_public_key" } });
    await waiting;
    const del = api("DELETE", mirror, root);
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseKey();
    const [putRes, delRes] = await Promise.all([put, del]);
    expect([putRes.status, delRes.status]).toEqual([200, 204]);
    expect((await api("GET", mirror, root)).status).toBe(404);
  });
});
