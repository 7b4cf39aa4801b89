/**
 * Real mirroring over SSH: the mirror's own generated key, its stored host keys, strict host key
 * checking, into bare repositories served by a test sshd on 127.0.0.1.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorSeed, RunningEmulator } from "../../emulator";
import { apiClient, git, startTestEmulator, tempDir, withAuth, WorkTree } from "./helpers";
import { startSshd, type TestSshd } from "./sshd";

const ROOT = "glpat-emulator-root-token";
const SEED: EmulatorSeed = {
  users: [{ username: "root", admin: true, tokens: [{ token: ROOT, scopes: ["api"] }] }],
  projects: [{ id: 7, path: "ops/tool", visibility: "private", members: {}, protectedBranches: ["main"], defaultBranch: "main" }],
};

let emulator: RunningEmulator;
let sshd: TestSshd;
let work: string;
let tree: WorkTree;
const api = apiClient(() => emulator);
let repoCount = 0;

async function bareTarget(): Promise<string> {
  repoCount += 1;
  const dir = path.join(work, `ssh-target-${repoCount}.git`);
  await git(["init", "--quiet", "--bare", dir]);
  return dir;
}

async function refsOf(repo: string): Promise<Record<string, string>> {
  const out = await git(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags"], repo);
  const refs: Record<string, string> = {};
  for (const line of out.trim().split("\n").filter(Boolean)) {
    const [oid, ref] = line.split(" ");
    refs[ref] = oid;
  }
  return refs;
}

/** Creates an SSH-key mirror, authorises its key on the sshd, syncs and returns the final entity. */
async function sshMirror(targetDir: string, options: Record<string, unknown>, hostKeys: string[]): Promise<any> {
  const url = `ssh://${sshd.user}@127.0.0.1:${sshd.port}${targetDir}`;
  const created = await api("POST", "/projects/7/remote_mirrors", {
    token: ROOT,
    json: { url, enabled: true, auth_method: "ssh_public_key", host_keys: hostKeys, ...options },
  });
  expect(created.status).toBe(201);
  const key = await api("GET", `/projects/7/remote_mirrors/${created.body.id}/public_key`, { token: ROOT });
  expect(key.status).toBe(200);
  sshd.authorize(key.body.public_key);
  expect((await api("POST", `/projects/7/remote_mirrors/${created.body.id}/sync`, { token: ROOT })).status).toBe(204);
  await emulator.idle();
  const final = (await api("GET", `/projects/7/remote_mirrors/${created.body.id}`, { token: ROOT })).body;
  await api("PUT", `/projects/7/remote_mirrors/${created.body.id}`, { token: ROOT, json: { enabled: false } });
  return final;
}

beforeAll(async () => {
  work = tempDir("ssh");
  sshd = await startSshd();
  emulator = await startTestEmulator({ seed: SEED });
  tree = await WorkTree.clone(withAuth(`${emulator.baseUrl}/ops/tool.git`, "root", ROOT), path.join(work, "project"));
  await tree.commit("base", "main");
  await tree.commit("more", "main");
  await tree.commit("topic work", "topic");
  await tree.run(["checkout", "--quiet", "main"]);
  await tree.run(["tag", "v2"]);
  await tree.run(["push", "--quiet", "origin", "main", "topic", "v2"]);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  await sshd?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("SSH mirroring", () => {
  it("pushes every branch and tag with the mirror's key when the host key matches (bare key form)", async () => {
    const target = await bareTarget();
    const final = await sshMirror(target, {}, [sshd.hostKey]);
    expect(final).toMatchObject({ update_status: "finished", last_error: null, auth_method: "ssh_public_key" });
    expect(await refsOf(target)).toEqual(await refsOf(path.join(emulator.dataDir, "repositories", "projects", "7.git")));
    // The key and known_hosts files exist only during the run (their modes: push-target.test.ts).
    expect(fs.existsSync(path.join(emulator.dataDir, "ssh", `mirror-${final.id}`))).toBe(false);
  });

  it("honours only_protected_branches over SSH", async () => {
    const target = await bareTarget();
    await sshMirror(target, { only_protected_branches: true }, [`[127.0.0.1]:${sshd.port} ${sshd.hostKey}`]);
    expect(Object.keys(await refsOf(target)).sort()).toEqual(["refs/heads/main", "refs/tags/v2"]);
  });

  it("keeps diverged refs with keep_divergent_refs and fails with GitLab's message", async () => {
    const target = await bareTarget();
    const other = await WorkTree.clone(target, path.join(work, "ssh-diverge"));
    await other.commit("target-only", "topic");
    await other.run(["push", "--quiet", "origin", "topic"]);
    const divergedTopic = (await refsOf(target))["refs/heads/topic"];
    const final = await sshMirror(target, { keep_divergent_refs: true }, [sshd.hostKey]);
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toBe("Some refs have diverged and have not been updated on the remote:\n\nrefs/heads/topic");
    const refs = await refsOf(target);
    expect(refs["refs/heads/topic"]).toBe(divergedTopic);
    expect(refs["refs/heads/main"]).toBe((await refsOf(path.join(emulator.dataDir, "repositories", "projects", "7.git")))["refs/heads/main"]);
  });

  it("fails with a host-key error when the stored host key does not match", async () => {
    const target = await bareTarget();
    const stranger = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    const final = await sshMirror(target, {}, [stranger]);
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toContain("Host key verification failed");
    expect(await refsOf(target)).toEqual({});
  });

  it("fails without stored host keys (strict host key checking)", async () => {
    const target = await bareTarget();
    const final = await sshMirror(target, {}, []);
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toContain("Host key verification failed");
  });
});
