import { closeAll } from "../../provider/gitlab";
import { createMirror, deleteMirror, diffMirror, readMirror, updateMirror } from "../support/mirror-core";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  api,
  collectingLogger,
  CollectingLogger,
  counters,
  createTarget,
  RecordingProxy,
  resetCounters,
  ROOT_TOKEN,
  startRecordingProxy,
  TARGET_PASSWORD,
  targetUrl,
  testContext,
} from "./support";

let gl: RunningEmulator;
let proxy: RecordingProxy;
let logger: CollectingLogger;
let targetCount = 0;

beforeAll(async () => {
  gl = await startEmulator();
  proxy = await startRecordingProxy(gl.baseUrl);
});

afterAll(async () => {
  await proxy.close();
  await closeAll();
  await gl.close();
});

beforeEach(() => {
  logger = collectingLogger();
  proxy.requests.length = 0;
});

// GitLab caps a project at 10 enabled mirrors: leave none behind.
afterEach(async () => {
  const list = await api(gl.baseUrl, "GET", "/projects/1/remote_mirrors?per_page=100");
  for (const mirror of list.body as { id: number }[]) await api(gl.baseUrl, "DELETE", `/projects/1/remote_mirrors/${mirror.id}`);
});

/** A fresh mirror target (GitLab rejects a second mirror with the same URL in a project). */
async function freshTarget(): Promise<string> {
  targetCount += 1;
  const path = `backup/lifecycle-${targetCount}`;
  await createTarget(gl.baseUrl, path, "mirror-bot", TARGET_PASSWORD);
  return targetUrl(gl.baseUrl, path);
}

const ctx = () => testContext(gl.baseUrl, ROOT_TOKEN, logger);
const proxied = () => testContext(proxy.baseUrl, ROOT_TOKEN, logger);

describe("RemoteMirror lifecycle against the emulator", () => {
  it("creates, reads, updates and deletes a mirror", async () => {
    const url = await freshTarget();
    const inputs = { project: "demo/app", url };
    const created = await createMirror(inputs, ctx());

    const mirrorId = created.state.mirrorId;
    expect(created.id).toBe(`1:${mirrorId}`);
    expect(created.state).toMatchObject({
      project: "demo/app",
      url,
      projectId: 1,
      enabled: true,
      authMethod: "password",
      onlyProtectedBranches: true,
      keepDivergentRefs: true,
      mirrorBranchRegex: null,
      hostKeys: [],
      maskedUrl: url.replace(`mirror-bot:${TARGET_PASSWORD}`, "*****:*****"),
      updateStatus: "none",
      lastError: null,
      hostKeyFingerprints: [],
    });
    expect(created.state.publicKey).toBeUndefined();
    const inGitLab = await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${mirrorId}`);
    expect(inGitLab.status).toBe(200);
    expect(inGitLab.body).toMatchObject({ id: mirrorId, enabled: true, only_protected_branches: true, keep_divergent_refs: true });
    expect(logger.lines).toContain(`debug: demo/app: created mirror ${mirrorId} (${url.replace(`mirror-bot:${TARGET_PASSWORD}@`, "")})`);

    const read = await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx());
    expect(read.gone).toBe(false);
    if (read.gone) return;
    expect(read.state).toEqual(created.state);
    expect(diffMirror(read.state, inputs).changes).toBe(false);
    // A refresh that finds the mirror as recorded is routine; drift is news (below).
    expect(logger.lines).toContain(`debug: demo/app: read mirror ${mirrorId} (none)`);

    const updated = await updateMirror(created.id, read.state as unknown as Record<string, unknown>, { ...inputs, enabled: false, keepDivergentRefs: false }, ctx());
    expect(updated.state).toMatchObject({ enabled: false, keepDivergentRefs: false, mirrorId, projectId: 1 });
    expect((await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${mirrorId}`)).body).toMatchObject({ enabled: false, keep_divergent_refs: false });

    await deleteMirror(created.id, updated.state as unknown as Record<string, unknown>, ctx());
    expect((await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${mirrorId}`)).status).toBe(404);
  });

  it("POSTs every attribute GitLab knows (our defaults differ from GitLab's), never both regex and protected-only", async () => {
    const url = await freshTarget();
    await createMirror({ project: 1, url, keepDivergentRefs: false, mirrorBranchRegex: "^main$" }, proxied());
    const posts = proxy.requests.filter((r) => r.method === "POST");
    expect(posts).toEqual([
      { method: "POST", path: "/api/v4/projects/1/remote_mirrors", body: { url, enabled: true, auth_method: "password", keep_divergent_refs: false, mirror_branch_regex: "^main$" } },
    ]);
    // A numeric project is used as is: no project lookup.
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /api/v4/projects/1/remote_mirrors"]);
  });

  it("resolves a project path once per process (cached)", async () => {
    const context = proxied();
    await createMirror({ project: "demo/app", url: await freshTarget() }, context);
    await createMirror({ project: "demo/app", url: await freshTarget() }, context);
    expect(proxy.requests.filter((r) => r.method === "GET").map((r) => r.path)).toEqual(["/api/v4/projects/demo%2Fapp"]);
  });

  it("PUTs only the changed keys, and never both only_protected_branches and mirror_branch_regex", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url, onlyProtectedBranches: true }, ctx());
    proxy.requests.length = 0;
    const olds = created.state as unknown as Record<string, unknown>;
    const updated = await updateMirror(created.id, olds, { project: 1, url, mirrorBranchRegex: "^release/" }, proxied());
    expect(proxy.requests).toEqual([
      { method: "PUT", path: `/api/v4/projects/1/remote_mirrors/${created.state.mirrorId}`, body: { mirror_branch_regex: "^release/" } },
    ]);
    expect(updated.state).toMatchObject({ onlyProtectedBranches: false, mirrorBranchRegex: "^release/" });
    expect(logger.lines).toContain(`debug: 1: updated mirror ${created.state.mirrorId} (mirrorBranchRegex)`);

    proxy.requests.length = 0;
    await updateMirror(created.id, updated.state as unknown as Record<string, unknown>, { project: 1, url, onlyProtectedBranches: true }, proxied());
    expect(proxy.requests.map((r) => r.body)).toEqual([{ only_protected_branches: true }]);
    expect((await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${created.state.mirrorId}`)).body).toMatchObject({
      only_protected_branches: true,
      mirror_branch_regex: null,
    });
  });

  it("sends no request at all for an update that changes nothing GitLab knows", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url }, ctx());
    await resetCounters(gl.baseUrl);
    const olds = created.state as unknown as Record<string, unknown>;
    const updated = await updateMirror(created.id, olds, { project: 1, url, enabled: true, syncOnApply: true, syncTimeoutSeconds: 60 }, ctx());
    expect((await counters(gl.baseUrl)).total).toBe(0);
    expect(updated.state).toEqual({ ...created.state, syncOnApply: true, syncTimeoutSeconds: 60 });
  });

  it("a syncTrigger-only change sends only the sync call", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url, syncTrigger: "a" }, ctx());
    await resetCounters(gl.baseUrl);
    await updateMirror(created.id, created.state as unknown as Record<string, unknown>, { project: 1, url, syncTrigger: "b" }, ctx());
    expect(await counters(gl.baseUrl)).toEqual({ total: 1, routes: { "POST /projects/:id/remote_mirrors/:mirror_id/sync": 1 } });
    expect(logger.lines).toContain(`info: 1: requested a sync of mirror ${created.state.mirrorId}`);
  });

  // Regression: the fleet benchmark saw one GET /projects/:id per concurrent create, not one per project.
  it("concurrent creates in a project given by its path look the project up once", async () => {
    const urls = await Promise.all([1, 2, 3, 4, 5].map(() => freshTarget()));
    await resetCounters(gl.baseUrl);
    const shared = ctx();
    const created = await Promise.all(urls.map((url) => createMirror({ project: "demo/app", url }, shared)));
    expect(created.map((c) => c.state.projectId)).toEqual([1, 1, 1, 1, 1]);
    expect((await counters(gl.baseUrl)).routes).toEqual({ "GET /projects/:id": 1, "POST /projects/:id/remote_mirrors": 5 });
  });

  it("a failed project lookup is not remembered: the next create looks again", async () => {
    const url = await freshTarget();
    const shared = ctx();
    await expect(createMirror({ project: "demo/missing", url }, shared)).rejects.toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 404 });
    await resetCounters(gl.baseUrl);
    await expect(createMirror({ project: "demo/missing", url }, shared)).rejects.toMatchObject({ status: 404 });
    expect((await counters(gl.baseUrl)).routes).toEqual({ "GET /projects/:id": 1 });
  });

  it("does not sync a disabled mirror (GitLab would answer 400)", async () => {
    const url = await freshTarget();
    await resetCounters(gl.baseUrl);
    const created = await createMirror({ project: 1, url, enabled: false, syncOnApply: true }, ctx());
    expect((await counters(gl.baseUrl)).routes).toEqual({ "POST /projects/:id/remote_mirrors": 1 });
    expect(logger.lines).toContain(`info: 1: not syncing mirror ${created.state.mirrorId}: it is disabled`);
  });

  it("read after an out-of-band disable shows the drift, and the next diff updates it back", async () => {
    const url = await freshTarget();
    const inputs = { project: "demo/app", url };
    const created = await createMirror(inputs, ctx());
    await api(gl.baseUrl, "PUT", `/projects/1/remote_mirrors/${created.state.mirrorId}`, { enabled: false });

    const read = await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx());
    expect(read.gone).toBe(false);
    if (read.gone) return;
    expect(read.state.enabled).toBe(false);
    expect(read.inputs.enabled).toBe(false);
    expect(read.state.url).toBe(url);
    expect(diffMirror(read.state, inputs)).toEqual({ changes: true, replaces: [], updates: ["enabled"], deleteBeforeReplace: false });
    expect(logger.lines).toContain(`info: demo/app: read mirror ${created.state.mirrorId} (none); changed outside Pulumi: enabled`);

    await updateMirror(created.id, read.state as unknown as Record<string, unknown>, inputs, ctx());
    expect((await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${created.state.mirrorId}`)).body).toMatchObject({ enabled: true });
  });

  it("read after an out-of-band delete reports the mirror gone", async () => {
    const created = await createMirror({ project: 1, url: await freshTarget() }, ctx());
    expect((await api(gl.baseUrl, "DELETE", `/projects/1/remote_mirrors/${created.state.mirrorId}`)).status).toBe(204);
    expect(await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx())).toEqual({ gone: true });
    expect(logger.lines).toContain(`warn: 1: mirror ${created.state.mirrorId} no longer exists in GitLab`);
  });

  it("read of a mirror in a project that does not exist throws instead of reporting it gone", async () => {
    const read = readMirror("999:1", { projectId: 999, mirrorId: 1, project: 999 }, ctx());
    await expect(read).rejects.toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 404, gitlabMessage: "404 Project Not Found" });
  });

  it("delete twice is fine", async () => {
    const created = await createMirror({ project: 1, url: await freshTarget() }, ctx());
    const props = created.state as unknown as Record<string, unknown>;
    await deleteMirror(created.id, props, ctx());
    await expect(deleteMirror(created.id, props, ctx())).resolves.toBeUndefined();
    expect(logger.lines).toContain(`info: 1: mirror ${created.state.mirrorId} was already gone`);
  });

  it("host keys: refresh compares fingerprints and records drift so the next update re-sends the keys", async () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
    const fingerprint = "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU";
    const url = await freshTarget();
    const inputs = { project: 1, url, hostKeys: [key] };
    const created = await createMirror(inputs, ctx());
    expect(created.state.hostKeyFingerprints).toEqual([fingerprint]);

    const clean = await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx());
    if (clean.gone) throw new Error("mirror unexpectedly gone");
    expect(clean.state.hostKeys).toEqual([key]);
    expect(diffMirror(clean.state, inputs).changes).toBe(false);

    await api(gl.baseUrl, "PUT", `/projects/1/remote_mirrors/${created.state.mirrorId}`, { host_keys: [] });
    const drifted = await readMirror(created.id, clean.state as unknown as Record<string, unknown>, ctx());
    if (drifted.gone) throw new Error("mirror unexpectedly gone");
    expect(drifted.state.hostKeyFingerprints).toEqual([]);
    expect(diffMirror(drifted.state, inputs).updates).toEqual(["hostKeys"]);

    proxy.requests.length = 0;
    const repaired = await updateMirror(created.id, drifted.state as unknown as Record<string, unknown>, inputs, proxied());
    expect(proxy.requests.map((r) => r.body)).toEqual([{ host_keys: [key] }]);
    expect(repaired.state.hostKeyFingerprints).toEqual([fingerprint]);
  });

  it("adopt takes over an existing mirror with the same credential-free URL instead of creating one", async () => {
    const url = await freshTarget();
    const existing = await api(gl.baseUrl, "POST", "/projects/1/remote_mirrors", { url: url.replace(TARGET_PASSWORD, "old-password"), enabled: false });
    expect(existing.status).toBe(201);
    const existingId = (existing.body as { id: number }).id;

    const adopted = await createMirror({ project: 1, url, adopt: true }, proxied());
    expect(adopted.id).toBe(`1:${existingId}`);
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v4/projects/1/remote_mirrors",
      `PUT /api/v4/projects/1/remote_mirrors/${existingId}`,
    ]);
    // It had GitLab's API defaults; the PUT brings it to the declared (default) inputs.
    expect(proxy.requests[1].body).toEqual({ enabled: true, keep_divergent_refs: true, only_protected_branches: true });
    expect(adopted.state.enabled).toBe(true);
    const line = logger.lines.find((l) => l.includes("adopted"));
    expect(line).toBe(
      `warn: 1: adopted existing mirror ${existingId} (${url.replace(`mirror-bot:${TARGET_PASSWORD}@`, "")}); GitLab does not reveal its credentials, so the credentials in url are assumed to be the ones it uses`,
    );
  });

  it("adopt creates the mirror when none matches", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url, adopt: true }, proxied());
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/v4/projects/1/remote_mirrors",
      "POST /api/v4/projects/1/remote_mirrors",
    ]);
    expect(created.state.adopt).toBe(true);
  });

  it("a create that meets 'url has already been taken' names the mirror holding the URL and the ways out", async () => {
    const url = await freshTarget();
    const existing = await api(gl.baseUrl, "POST", "/projects/1/remote_mirrors", { url: url.replace(TARGET_PASSWORD, "other-password") });
    const existingId = (existing.body as { id: number }).id;

    const err = (await createMirror({ project: 1, url }, proxied()).catch((e: unknown) => e)) as { code: string; message: string; mirrorId: number };
    expect(err.code).toBe("GLM_ERR_MIRROR_URL_TAKEN");
    expect(err.mirrorId).toBe(existingId);
    const target = url.replace(`mirror-bot:${TARGET_PASSWORD}@`, "");
    expect(err.message).toBe(
      `Project 1 already has a mirror for ${target}: mirror 1:${existingId} (GitLab: "url has already been taken"). ` +
        "If an interrupted pulumi up made it, run `gitlab-mirrors recover` in the Pulumi project's directory; " +
        `to manage that mirror with this resource, import it (\`pulumi import gitlab-mirrors:index:RemoteMirror <name> 1:${existingId}\`) ` +
        "or set `adopt: true` on the resource; otherwise delete it in GitLab or choose another URL.",
    );
    // One refused POST, one list to name the holder; nothing created, nothing taken over.
    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v4/projects/1/remote_mirrors",
      "GET /api/v4/projects/1/remote_mirrors",
    ]);
    expect(((await api(gl.baseUrl, "GET", "/projects/1/remote_mirrors")).body as unknown[]).length).toBe(1);
  });

  it("fetches the public key of an ssh:// mirror that uses ssh_public_key, and re-reads it when auth switches to it", async () => {
    const sshUrl = `ssh://git@127.0.0.1:2222/backup/ssh-${Date.now()}.git`;
    const created = await createMirror({ project: 1, url: sshUrl, authMethod: "ssh_public_key" }, ctx());
    expect(created.state.publicKey).toMatch(/^ssh-rsa AAAA/);

    const other = `ssh://git@127.0.0.1:2222/backup/ssh-other-${Date.now()}.git`;
    const plain = await createMirror({ project: 1, url: other }, ctx());
    expect(plain.state.publicKey).toBeUndefined();
    const switched = await updateMirror(plain.id, plain.state as unknown as Record<string, unknown>, { project: 1, url: other, authMethod: "ssh_public_key" }, ctx());
    expect(switched.state.publicKey).toMatch(/^ssh-rsa AAAA/);
    const back = await updateMirror(plain.id, switched.state as unknown as Record<string, unknown>, { project: 1, url: other, authMethod: "password" }, ctx());
    expect(back.state.publicKey).toBeUndefined();
  });

  it("rejects invalid inputs before sending anything", async () => {
    await resetCounters(gl.baseUrl);
    await expect(createMirror({ project: 1, url: "git@host.example:x.git" }, ctx())).rejects.toMatchObject({
      code: "GLM_ERR_INVALID_INPUT",
      property: "url",
    });
    expect((await counters(gl.baseUrl)).total).toBe(0);
  });
});

describe("refresh: the reads of a project's mirrors share one list", () => {
  async function makeMirrors(count: number) {
    const created = [];
    for (let i = 0; i < count; i += 1) created.push(await createMirror({ project: 1, url: await freshTarget(), enabled: i % 2 === 0 }, ctx()));
    return created;
  }

  it("GET /projects/:id/remote_mirrors once for every mirror of the project read together", async () => {
    const created = await makeMirrors(4);
    const context = proxied();
    proxy.requests.length = 0;
    const reads = await Promise.all(created.map((c) => readMirror(c.id, c.state as unknown as Record<string, unknown>, context)));
    expect(reads.map((r) => (r.gone ? "gone" : r.state.mirrorId))).toEqual(created.map((c) => c.state.mirrorId));
    expect(reads.map((r) => (r.gone ? undefined : r.state.enabled))).toEqual([true, false, true, false]);
    expect(proxy.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`)).toEqual(["GET /api/v4/projects/1/remote_mirrors"]);
  });

  it("a mirror missing from the list is gone; the others are read from the same list", async () => {
    const [kept, removed] = await makeMirrors(2);
    await api(gl.baseUrl, "DELETE", `/projects/1/remote_mirrors/${removed.state.mirrorId}`);
    const context = proxied();
    const [first, second] = await Promise.all(
      [kept, removed].map((c) => readMirror(c.id, c.state as unknown as Record<string, unknown>, context)),
    );
    expect(first.gone).toBe(false);
    expect(second.gone).toBe(true);
    expect(logger.lines).toContain(`warn: 1: mirror ${removed.state.mirrorId} no longer exists in GitLab`);
  });

  it("a failed list fails every read waiting on it, and none is taken as gone", async () => {
    const created = await makeMirrors(2);
    const developer = testContext(proxy.baseUrl, "glpat-revoked-or-unknown", logger);
    proxy.requests.length = 0;
    const results = await Promise.allSettled(created.map((c) => readMirror(c.id, c.state as unknown as Record<string, unknown>, developer)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 401 });
    expect(proxy.requests).toHaveLength(1);
    // Forgotten at once: the next read asks again.
    await expect(readMirror(created[0].id, created[0].state as unknown as Record<string, unknown>, developer)).rejects.toMatchObject({ status: 401 });
    expect(proxy.requests).toHaveLength(2);
  });

  it("reads an SSH mirror's public key only when none is recorded", async () => {
    const sshUrl = `ssh://git@127.0.0.1:2222/backup/ssh-read-${Date.now()}.git`;
    const created = await createMirror({ project: 1, url: sshUrl, authMethod: "ssh_public_key" }, ctx());
    proxy.requests.length = 0;
    const read = await readMirror(created.id, created.state as unknown as Record<string, unknown>, proxied());
    expect(read.gone ? undefined : read.state.publicKey).toBe(created.state.publicKey);
    expect(proxy.requests.filter((r) => r.path.endsWith("/public_key"))).toEqual([]);
    const { publicKey: _key, ...withoutKey } = created.state;
    await readMirror(created.id, withoutKey as unknown as Record<string, unknown>, proxied());
    expect(proxy.requests.filter((r) => r.path.endsWith("/public_key"))).toHaveLength(1);
  });
});
