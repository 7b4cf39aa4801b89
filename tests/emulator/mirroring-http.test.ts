/**
 * Real mirroring over HTTP into plain target repositories: what lands in the target for each
 * branch filter and divergence option, push-triggered sync, statuses and scrubbed errors.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { apiClient, call, git, remoteRefs, startTestEmulator, tempDir, withAuth, WorkTree } from "./helpers";
import type { EmulatorSeed } from "../../emulator";

const ROOT = "glpat-emulator-root-token";
const SEED: EmulatorSeed = {
  settings: { edition: "ee", allowLocalRequests: true, mirrorAvailable: true, maxEnabledMirrorsPerProject: 10, syncBackoff: false },
  users: [{ username: "root", admin: true, tokens: [{ token: ROOT, scopes: ["api"] }] }],
  projects: [
    { id: 1, path: "demo/app", visibility: "private", members: {}, protectedBranches: ["main", "release/*"], defaultBranch: "main" },
    { id: 2, path: "demo/unprotected", visibility: "private", members: {}, protectedBranches: [], defaultBranch: "main" },
  ],
};

let emulator: RunningEmulator;
let work: string;
const api = apiClient(() => emulator);
const projectTrees = new Map<number, WorkTree>();
let targetCount = 0;

interface Target {
  url: string;
  authUrl: string;
  mirrorUrl: string;
}

async function newTarget(): Promise<Target> {
  targetCount += 1;
  const password = `target-pass-${targetCount}`;
  const res = await call(emulator.baseUrl, "POST", "/-/emulator/targets", { json: { path: `t/repo-${targetCount}`, username: "bot", password } });
  expect(res.status).toBe(201);
  expect(res.body.url).toBe(`${emulator.baseUrl}/-/targets/t/repo-${targetCount}.git`);
  return { url: res.body.url, authUrl: withAuth(res.body.url, "bot", password), mirrorUrl: withAuth(res.body.url, "bot", password) };
}

/** The project's branches and tags: main (2 commits), feature, defeat-x, release/1.0, tag v1. */
async function projectTree(projectId: number): Promise<WorkTree> {
  const existing = projectTrees.get(projectId);
  if (existing) return existing;
  const projectPath = projectId === 1 ? "demo/app" : "demo/unprotected";
  const tree = await WorkTree.clone(withAuth(`${emulator.baseUrl}/${projectPath}.git`, "root", ROOT), path.join(work, `project-${projectId}`));
  await tree.commit("base", "main");
  await tree.commit("second on main", "main");
  await tree.run(["tag", "-a", "v1", "-m", "release 1"]);
  await tree.commit("feature work", "feature");
  await tree.run(["checkout", "--quiet", "main"]);
  await tree.commit("defeat work", "defeat-x");
  await tree.run(["checkout", "--quiet", "main"]);
  await tree.commit("release work", "release/1.0");
  await tree.run(["checkout", "--quiet", "main"]);
  await tree.run(["push", "--quiet", "origin", "main", "feature", "defeat-x", "release/1.0", "v1"]);
  projectTrees.set(projectId, tree);
  await emulator.idle();
  return tree;
}

async function localRefs(tree: WorkTree): Promise<Record<string, string>> {
  const out = await tree.run(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags"]);
  const refs: Record<string, string> = {};
  for (const line of out.trim().split("\n")) {
    const [oid, ref] = line.split(" ");
    refs[ref] = oid;
  }
  return refs;
}

async function mirrorAndSync(projectId: number, json: Record<string, unknown>): Promise<{ id: number; final: any }> {
  const created = await api("POST", `/projects/${projectId}/remote_mirrors`, { token: ROOT, json: { enabled: true, ...json } });
  expect(created.status).toBe(201);
  const sync = await api("POST", `/projects/${projectId}/remote_mirrors/${created.body.id}/sync`, { token: ROOT });
  expect([sync.status, sync.text]).toEqual([204, ""]);
  await emulator.idle();
  const final = (await api("GET", `/projects/${projectId}/remote_mirrors/${created.body.id}`, { token: ROOT })).body;
  // Keep later pushes from re-triggering this mirror.
  await api("PUT", `/projects/${projectId}/remote_mirrors/${created.body.id}`, { token: ROOT, json: { enabled: false } });
  return { id: created.body.id, final };
}

function pick(refs: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, refs[n]]));
}

beforeAll(async () => {
  work = tempDir("mirroring");
  emulator = await startTestEmulator({ seed: SEED });
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe("sync over HTTP", () => {
  it("mirrors every branch and tag, and the mirror ends finished with timestamps", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    const { final } = await mirrorAndSync(1, { url: target.mirrorUrl });
    expect(final).toMatchObject({ update_status: "finished", last_error: null });
    expect(final.last_update_started_at).toEqual(expect.any(String));
    expect(final.last_update_at).toEqual(final.last_successful_update_at);
    expect(await remoteRefs(target.authUrl)).toEqual(await localRefs(tree));
  });

  it("only_protected_branches pushes branches matching the protected rules (wildcards included) and all tags", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    const { final } = await mirrorAndSync(1, { url: target.mirrorUrl, only_protected_branches: true });
    expect(final.update_status).toBe("finished");
    const local = await localRefs(tree);
    expect(await remoteRefs(target.authUrl)).toEqual(pick(local, ["refs/heads/main", "refs/heads/release/1.0", "refs/tags/v1"]));
  });

  it("only_protected_branches on a project without protected branches pushes everything", async () => {
    const tree = await projectTree(2);
    const target = await newTarget();
    await mirrorAndSync(2, { url: target.mirrorUrl, only_protected_branches: true });
    expect(await remoteRefs(target.authUrl)).toEqual(await localRefs(tree));
  });

  it("mirror_branch_regex matches unanchored (feat matches feature and defeat-x) and tags always go", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    await mirrorAndSync(1, { url: target.mirrorUrl, mirror_branch_regex: "feat" });
    expect(await remoteRefs(target.authUrl)).toEqual(pick(await localRefs(tree), ["refs/heads/defeat-x", "refs/heads/feature", "refs/tags/v1"]));
  });

  it("a mirror_branch_regex matching no branch pushes every branch", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    await mirrorAndSync(1, { url: target.mirrorUrl, mirror_branch_regex: "^nothing-matches$" });
    expect(await remoteRefs(target.authUrl)).toEqual(await localRefs(tree));
  });

  it("force-pushes over diverged target refs without keep_divergent_refs", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    const other = await WorkTree.clone(target.authUrl, path.join(work, "diverge-force"));
    await other.commit("target-only history", "main");
    await other.run(["push", "--quiet", "origin", "main"]);
    const { final } = await mirrorAndSync(1, { url: target.mirrorUrl, keep_divergent_refs: false });
    expect(final.update_status).toBe("finished");
    expect((await remoteRefs(target.authUrl))["refs/heads/main"]).toBe((await localRefs(tree))["refs/heads/main"]);
  });

  it("with keep_divergent_refs skips diverged refs, updates the rest, and fails with GitLab's message", async () => {
    const tree = await projectTree(1);
    const local = await localRefs(tree);
    const target = await newTarget();
    // The target has a diverged main and a feature that is behind (a fast-forward is still pushed).
    const other = await WorkTree.clone(target.authUrl, path.join(work, "diverge-keep"));
    await other.commit("target-only history", "main");
    await other.run(["push", "--quiet", "origin", "main"]);
    await tree.run(["push", "--quiet", target.authUrl, `${local["refs/heads/feature"]}~1:refs/heads/feature`]);
    const { final } = await mirrorAndSync(1, { url: target.mirrorUrl, keep_divergent_refs: true });
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toBe("Some refs have diverged and have not been updated on the remote:\n\nrefs/heads/main");
    expect(final.last_update_at).toEqual(expect.any(String));
    const remote = await remoteRefs(target.authUrl);
    expect(remote["refs/heads/main"]).not.toBe(local["refs/heads/main"]);
    expect(pick(remote, ["refs/heads/feature", "refs/heads/release/1.0", "refs/tags/v1"])).toEqual(pick(local, ["refs/heads/feature", "refs/heads/release/1.0", "refs/tags/v1"]));
  });

  it("deletes remote-only refs merged into the default branch and keeps unmerged ones", async () => {
    const tree = await projectTree(1);
    const local = await localRefs(tree);
    const target = await newTarget();
    await tree.run(["push", "--quiet", target.authUrl, `${local["refs/heads/main"]}~1:refs/heads/old-merged`]);
    const other = await WorkTree.clone(target.authUrl, path.join(work, "unmerged"));
    await other.commit("unmerged work", "unmerged");
    await other.run(["push", "--quiet", "origin", "unmerged"]);
    await mirrorAndSync(1, { url: target.mirrorUrl });
    const remote = await remoteRefs(target.authUrl);
    expect(remote["refs/heads/old-merged"]).toBeUndefined();
    expect(remote["refs/heads/unmerged"]).toEqual(expect.any(String));
  });

  it("never deletes with keep_divergent_refs, and a branch filter protects refs outside it", async () => {
    const tree = await projectTree(1);
    const local = await localRefs(tree);
    const keep = await newTarget();
    await tree.run(["push", "--quiet", keep.authUrl, `${local["refs/heads/main"]}~1:refs/heads/old-merged`]);
    await mirrorAndSync(1, { url: keep.mirrorUrl, keep_divergent_refs: true });
    expect((await remoteRefs(keep.authUrl))["refs/heads/old-merged"]).toEqual(expect.any(String));

    const filtered = await newTarget();
    await tree.run(["push", "--quiet", filtered.authUrl, `${local["refs/heads/main"]}~1:refs/heads/old-merged`]);
    await tree.run(["push", "--quiet", filtered.authUrl, `${local["refs/heads/main"]}~1:refs/heads/release/old`]);
    await mirrorAndSync(1, { url: filtered.mirrorUrl, only_protected_branches: true });
    const remote = await remoteRefs(filtered.authUrl);
    expect(remote["refs/heads/old-merged"]).toEqual(expect.any(String));
    expect(remote["refs/heads/release/old"]).toBeUndefined();
  });

  it("a push to the project triggers every enabled mirror", async () => {
    const tree = await projectTree(1);
    const target = await newTarget();
    const created = await api("POST", "/projects/1/remote_mirrors", { token: ROOT, json: { url: target.mirrorUrl, enabled: true } });
    const disabledTarget = await newTarget();
    await api("POST", "/projects/1/remote_mirrors", { token: ROOT, json: { url: disabledTarget.mirrorUrl, enabled: false } });
    const head = await tree.commit("pushed later", "main");
    await tree.run(["push", "--quiet", "origin", "main"]);
    await emulator.idle();
    expect((await remoteRefs(target.authUrl))["refs/heads/main"]).toBe(head);
    expect(await remoteRefs(disabledTarget.authUrl)).toEqual({});
    await api("DELETE", `/projects/1/remote_mirrors/${created.body.id}`, { token: ROOT });
  });

  it("wrong target credentials end in failed after retries, with credentials scrubbed from last_error", async () => {
    await projectTree(1);
    const target = await newTarget();
    const wrong = withAuth(target.url, "bot", "wrong-secret-password");
    const { final } = await mirrorAndSync(1, { url: wrong });
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toContain("fatal: Authentication failed for");
    expect(final.last_error).not.toContain("wrong-secret-password");
    expect(final.last_error).not.toContain(Buffer.from("bot:wrong-secret-password").toString("base64"));
    expect(await remoteRefs(target.authUrl)).toEqual({});
  });
});

describe("targets off the machine", () => {
  it("are never contacted by default: the mirror goes started, then failed with the reason, the host untouched", async () => {
    await projectTree(1);
    const { final } = await mirrorAndSync(1, { url: "https://bot:off-machine-secret@mirror.example.com/group/app.git" });
    expect(final.update_status).toBe("failed");
    expect(final.last_error).toBe(
      "the emulator pushes only to loopback targets (127.0.0.0/8, ::1, localhost); mirror.example.com was not contacted. " +
        "Set settings.allowRemotePushes to true in the seed to push elsewhere",
    );
    expect(final.last_update_started_at).toEqual(expect.any(String));
    expect(final.last_update_at).toEqual(expect.any(String));
  });
});

describe("sync while an update is running", () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let connections = 0;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("answers 204 without starting a second run, then retries after the failure until failed", async () => {
    await projectTree(1);
    const port = (server.address() as net.AddressInfo).port;
    const created = await api("POST", "/projects/1/remote_mirrors", { token: ROOT, json: { url: `http://127.0.0.1:${port}/hang.git`, enabled: true } });
    const id = created.body.id;
    expect((await api("POST", `/projects/1/remote_mirrors/${id}/sync`, { token: ROOT })).status).toBe(204);
    for (let i = 0; i < 100 && connections === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBe(1);
    expect((await api("GET", `/projects/1/remote_mirrors/${id}`, { token: ROOT })).body.update_status).toBe("started");
    const again = await api("POST", `/projects/1/remote_mirrors/${id}/sync`, { token: ROOT });
    expect([again.status, again.text]).toEqual([204, ""]);
    await new Promise((r) => setTimeout(r, 200));
    expect(connections).toBe(1);
    // Let the hung update fail: each retry connects again, the fourth attempt fails the mirror.
    server.removeAllListeners("connection");
    server.on("connection", (socket) => { connections += 1; socket.destroy(); });
    for (const s of sockets) s.destroy();
    await emulator.idle();
    const final = (await api("GET", `/projects/1/remote_mirrors/${id}`, { token: ROOT })).body;
    expect(final.update_status).toBe("failed");
    expect(connections).toBe(4);
    await api("DELETE", `/projects/1/remote_mirrors/${id}`, { token: ROOT });
  });
});

describe("smart HTTP access", () => {
  it("refuses target pushes and clones with wrong credentials (401)", async () => {
    const target = await newTarget();
    await expect(git(["ls-remote", withAuth(target.url, "bot", "nope")])).rejects.toThrow(/Authentication failed|401/);
    const res = await fetch(`${target.url}/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("asks anonymous callers of a private project for credentials and refuses unknown tokens", async () => {
    const anonymous = await fetch(`${emulator.baseUrl}/demo/app.git/info/refs?service=git-upload-pack`);
    expect(anonymous.status).toBe(401);
    await expect(git(["ls-remote", withAuth(`${emulator.baseUrl}/demo/app.git`, "root", "glpat-wrong")])).rejects.toThrow();
  });
});
