import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAll } from "../../provider/gitlab";
import { StepFailedAfterChangeError } from "../../provider/errors";
import type { MirrorOutputs } from "../../provider/mirror";
import { createMirror, deleteMirror, readMirror, updateMirror } from "../support/mirror-core";
import { inEngineForm, partialStateOf } from "../../provider/partial-state";
import { DEFAULT_SEED, startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import {
  ALICE_TOKEN,
  api,
  collectingLogger,
  CollectingLogger,
  counters,
  createTarget,
  git,
  lsRemote,
  RecordingProxy,
  resetCounters,
  ROOT_TOKEN,
  setFaults,
  startRecordingProxy,
  TARGET_PASSWORD,
  targetUrl,
  testContext,
} from "./support";

const DEVELOPER_TOKEN = "glpat-emulator-dave-token";
const SEED: EmulatorSeed = {
  ...DEFAULT_SEED,
  users: [...(DEFAULT_SEED.users ?? []), { username: "dave", tokens: [{ token: DEVELOPER_TOKEN, scopes: ["api"] }] }],
  projects: (DEFAULT_SEED.projects ?? []).map((p) => (p.id === 1 ? { ...p, members: { ...p.members, dave: "developer" } } : p)),
};

let gl: RunningEmulator;
let proxy: RecordingProxy;
let logger: CollectingLogger;
let workDir: string;
let targetCount = 0;
/** Every error message and log line of this suite, checked for secrets at the end. */
const shown: string[] = [];

beforeAll(async () => {
  gl = await startEmulator({ seed: SEED });
  proxy = await startRecordingProxy(gl.baseUrl);
  workDir = mkdtempSync(join(tmpdir(), "glm-provider-"));
});

afterAll(async () => {
  // Every message and log line the suite produced, whichever tests ran and in whatever order.
  for (const text of shown) {
    expect(text).not.toContain(ROOT_TOKEN);
    expect(text).not.toContain(DEVELOPER_TOKEN);
    expect(text).not.toContain(TARGET_PASSWORD);
    expect(text).not.toContain("wrong-password-9f2c");
  }
  await proxy.close();
  await closeAll();
  await gl.close();
  rmSync(workDir, { recursive: true, force: true });
});

beforeEach(async () => {
  logger = collectingLogger();
  proxy.requests.length = 0;
  await resetCounters(gl.baseUrl);
});

afterEach(async () => {
  shown.push(...logger.lines);
  await fetch(`${gl.baseUrl}/-/emulator/faults`, { method: "DELETE" });
  const list = await api(gl.baseUrl, "GET", "/projects/1/remote_mirrors?per_page=100");
  for (const mirror of list.body as { id: number }[]) await api(gl.baseUrl, "DELETE", `/projects/1/remote_mirrors/${mirror.id}`);
});

async function freshTarget(password = TARGET_PASSWORD): Promise<string> {
  targetCount += 1;
  const path = `backup/failures-${targetCount}`;
  await createTarget(gl.baseUrl, path, "mirror-bot", TARGET_PASSWORD);
  return targetUrl(gl.baseUrl, path, "mirror-bot", password);
}

async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    shown.push((err as Error).message, JSON.stringify(err));
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

const ctx = (token = ROOT_TOKEN) => testContext(gl.baseUrl, token, logger);

/** The core's failure of a step that changed GitLab first: the id and state it carries, and its cause. */
function stepFailure(err: unknown): StepFailedAfterChangeError<MirrorOutputs> & { cause: Error & Record<string, unknown> } {
  expect(err).toBeInstanceOf(StepFailedAfterChangeError);
  return err as StepFailedAfterChangeError<MirrorOutputs> & { cause: Error & Record<string, unknown> };
}

async function mirrorsOfProject(): Promise<{ id: number; url: string }[]> {
  return (await api(gl.baseUrl, "GET", "/projects/1/remote_mirrors")).body as { id: number; url: string }[];
}

describe("permissions: never drop a mirror because the token lost its rights", () => {
  it("read with a developer's token throws 401 and does not report the mirror gone", async () => {
    const created = await createMirror({ project: 1, url: await freshTarget() }, ctx());
    const err = await rejection(readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx(DEVELOPER_TOKEN)));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 401 });
    expect(err.message).toBe(
      `GET /projects/1/remote_mirrors failed: 401 Unauthorized (GitLab: "401 Unauthorized"). Check that the token is valid and not expired, and that its user has the Maintainer role on project 1 (GitLab answers 401 for a missing role). ` +
        "If the token was rotated, set the new one (run `pulumi config set --secret gitlab:token <token>`), then run " +
        "pulumi refresh --run-program (or pulumi destroy --run-program) or pulumi up: without --run-program, refresh and " +
        "destroy use the token saved with the stack's provider when the program last ran.",
    );
  });

  it("a maintainer's token reads the mirror", async () => {
    const created = await createMirror({ project: "demo/app", url: await freshTarget() }, ctx());
    const read = await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx(ALICE_TOKEN));
    expect(read).toMatchObject({ gone: false, id: created.id });
  });

  it("delete with a developer's token fails and leaves the mirror in place", async () => {
    const created = await createMirror({ project: 1, url: await freshTarget() }, ctx());
    const err = await rejection(deleteMirror(created.id, created.state as unknown as Record<string, unknown>, ctx(DEVELOPER_TOKEN)));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 401 });
    expect((await api(gl.baseUrl, "GET", `/projects/1/remote_mirrors/${created.state.mirrorId}`)).status).toBe(200);
  });

  it("delete in a project that does not exist is an error, not success", async () => {
    const err = await rejection(deleteMirror("999:1", { projectId: 999, mirrorId: 1 }, ctx()));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 404, gitlabMessage: "404 Project Not Found" });
  });
});

describe("create after an ambiguous failure never creates twice", () => {
  it("a lost response: the mirror GitLab made is found and taken, with a single POST", async () => {
    const url = await freshTarget();
    proxy.loseResponseOf("POST", /\/remote_mirrors$/);
    const created = await createMirror({ project: 1, url }, testContext(proxy.baseUrl, ROOT_TOKEN, logger));

    expect(proxy.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /api/v4/projects/1/remote_mirrors",
      "GET /api/v4/projects/1/remote_mirrors",
    ]);
    const mirrors = await mirrorsOfProject();
    expect(mirrors.map((m) => m.id)).toEqual([created.state.mirrorId]);
    expect(created.state.enabled).toBe(true);
    const target = url.replace(`mirror-bot:${TARGET_PASSWORD}@`, "");
    expect(logger.lines).toEqual([
      `warn: 1: creating the mirror for ${target} may have failed; looking for it`,
      `info: 1: found mirror ${created.state.mirrorId} (${target}) created by the interrupted request`,
    ]);
  });

  it("a dropped connection before GitLab saw the POST: the network error is thrown, nothing is created, no second POST", async () => {
    await setFaults(gl.baseUrl, { routes: ["POST /projects/:id/remote_mirrors"], drop: { count: 1 } });
    const err = await rejection(createMirror({ project: 1, url: await freshTarget() }, ctx()));
    expect(err.code).toBe("GLM_ERR_NETWORK");
    expect(await counters(gl.baseUrl)).toEqual({
      total: 2,
      routes: { "GET /projects/:id/remote_mirrors": 1, "POST /projects/:id/remote_mirrors": 1 },
    });
    expect(await mirrorsOfProject()).toEqual([]);
  });

  it("a 500: the POST is not repeated and GitLab's error is thrown when no mirror turned up", async () => {
    await setFaults(gl.baseUrl, { routes: ["POST /projects/:id/remote_mirrors"], errors: { status: 500, count: 1 } });
    const err = await rejection(createMirror({ project: 1, url: await freshTarget() }, ctx()));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 500 });
    expect((await counters(gl.baseUrl)).routes["POST /projects/:id/remote_mirrors"]).toBe(1);
    expect(await mirrorsOfProject()).toEqual([]);
  });

  it("a 400 is not ambiguous: no lookup, GitLab's message is thrown", async () => {
    // Not "url has already been taken": that one lists the project's mirrors to name the holder (lifecycle tests).
    await setFaults(gl.baseUrl, { routes: ["POST /projects/:id/remote_mirrors"], errors: { status: 400, count: 1 } });
    const url = await freshTarget();
    await resetCounters(gl.baseUrl);
    const err = await rejection(createMirror({ project: 1, url }, ctx()));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 400 });
    expect(await counters(gl.baseUrl)).toEqual({ total: 1, routes: { "POST /projects/:id/remote_mirrors": 1 } });
  });
});

describe("sync", () => {
  it("sync + wait lands the project's protected branches and tags in the target repository, or every branch when asked", async () => {
    const repo = join(workDir, "source");
    await git(["init", "-q", "-b", "main", repo]);
    await git(["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "first"], repo);
    await git(["branch", "feature/x"], repo);
    await git(["tag", "v1.0.0"], repo);
    const projectUrl = new URL(`${gl.baseUrl}/demo/app.git`);
    projectUrl.username = "root";
    projectUrl.password = ROOT_TOKEN;
    await git(["push", "-q", projectUrl.toString(), "main", "feature/x", "v1.0.0"], repo);

    const url = await freshTarget();
    const created = await createMirror({ project: "demo/app", url, syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60 }, ctx());
    expect(created.state.updateStatus).toBe("finished");
    expect(created.state.lastSuccessfulUpdateAt).not.toBeNull();
    expect(created.state.lastError).toBeNull();

    const source = await lsRemote(projectUrl.toString());
    expect(source).toHaveLength(3);
    // By default only protected branches (main, in the seed) are mirrored; tags always are.
    expect(await lsRemote(url)).toEqual(source.filter((line) => !line.endsWith("refs/heads/feature/x")));
    expect(logger.lines).toContain(`info: demo/app: mirror ${created.state.mirrorId} finished syncing`);

    const everyBranch = await freshTarget();
    await createMirror({ project: "demo/app", url: everyBranch, onlyProtectedBranches: false, syncOnApply: true, waitForSync: true }, ctx());
    expect(await lsRemote(everyBranch)).toEqual(source);
  });

  it("a failed sync fails the step with GitLab's scrubbed last_error and keeps the created mirror in the error", async () => {
    const url = await freshTarget("wrong-password-9f2c");
    const err = stepFailure(await rejection(createMirror({ project: 1, url, syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60 }, ctx())));
    expect(err.cause.code).toBe("GLM_ERR_SYNC_FAILED");
    expect(err.message).toBe(err.cause.message);
    expect(err.message).toMatch(/^Sync of mirror \d+ on project 1 failed \(GitLab: ".+"\)\. Check the mirror URL's credentials/);
    const [mirror] = await mirrorsOfProject();
    expect(err.id).toBe(`1:${mirror.id}`);
    expect(err.state).toMatchObject({ mirrorId: mirror.id, projectId: 1, url });
    // What an adapter hands the engine: the cause, carrying the id, the state and the reason.
    const engine = inEngineForm(err, (state: MirrorOutputs) => state);
    expect(engine).toBe(err.cause);
    expect(partialStateOf(engine)).toMatchObject({ id: err.id, properties: { mirrorId: mirror.id, projectId: 1, url }, reasons: [err.message] });
    expect(err.message).not.toContain("wrong-password-9f2c");
  });

  it("an update that changed something syncs when syncOnApply is set", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url, enabled: false, syncOnApply: true }, ctx());
    await resetCounters(gl.baseUrl);
    await updateMirror(created.id, created.state as unknown as Record<string, unknown>, { project: 1, url, syncOnApply: true }, ctx());
    expect((await counters(gl.baseUrl)).routes).toEqual({
      "PUT /projects/:id/remote_mirrors/:mirror_id": 1,
      "POST /projects/:id/remote_mirrors/:mirror_id/sync": 1,
    });
  });
});

describe("update failures leave a state the next up can repair", () => {
  it("a failed PUT carries no partial state, so the engine keeps the old state and retries next time", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url }, ctx());
    await setFaults(gl.baseUrl, { routes: ["PUT /projects/:id/remote_mirrors/:mirror_id"], errors: { status: 400, count: 1 } });
    const err = await rejection(updateMirror(created.id, created.state as unknown as Record<string, unknown>, { project: 1, url, enabled: false }, ctx()));
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 400 });
    expect(err).not.toBeInstanceOf(StepFailedAfterChangeError);
    expect(partialStateOf(inEngineForm(err, (state: MirrorOutputs) => state))).toBeUndefined();
  });

  it("a failed sync after a syncTrigger change records the old trigger, so the next up asks again", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: 1, url, syncTrigger: "one" }, ctx());
    await setFaults(gl.baseUrl, { routes: ["POST /projects/:id/remote_mirrors/:mirror_id/sync"], errors: { status: 400, count: 1 } });
    const err = await rejection(
      updateMirror(created.id, created.state as unknown as Record<string, unknown>, { project: 1, url, syncTrigger: "two", keepDivergentRefs: true }, ctx()),
    );
    const failed = stepFailure(err);
    expect(failed.cause).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 400 });
    expect(failed.id).toBe(created.id);
    expect(failed.state).toMatchObject({ syncTrigger: "one", keepDivergentRefs: true });
  });

  // Regression (review): the engine retries a partially failed create with unchanged inputs, and that
  // update used to do nothing, so the next up went green while the mirror had never synced.
  it("a sync that failed at create is asked for again by the next update, with unchanged inputs", async () => {
    targetCount += 1;
    const path = `backup/failures-late-${targetCount}`;
    const inputs = { project: 1, url: targetUrl(gl.baseUrl, path), syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60 };
    const partial = stepFailure(await rejection(createMirror(inputs, ctx())));
    expect(partial.cause.code).toBe("GLM_ERR_SYNC_FAILED");
    expect(partial.state).toMatchObject({ syncPending: true });

    await createTarget(gl.baseUrl, path, "mirror-bot", TARGET_PASSWORD);
    await resetCounters(gl.baseUrl);
    const updated = await updateMirror(partial.id, partial.state as unknown as Record<string, unknown>, inputs, ctx());
    const { routes } = await counters(gl.baseUrl);
    expect(routes["POST /projects/:id/remote_mirrors/:mirror_id/sync"]).toBe(1);
    expect(routes["PUT /projects/:id/remote_mirrors/:mirror_id"]).toBeUndefined();
    expect(updated.state.updateStatus).toBe("finished");
    expect(updated.state).not.toHaveProperty("syncPending");
  });
});

describe("secrets", () => {
  it("no token or target password appears in the outputs or log lines of a lifecycle (all errors are checked after the suite)", async () => {
    const url = await freshTarget();
    const created = await createMirror({ project: "demo/app", url }, ctx());
    const read = await readMirror(created.id, created.state as unknown as Record<string, unknown>, ctx());
    const { url: _secretInput, ...outputs } = created.state;
    const texts = [JSON.stringify(outputs), JSON.stringify(read.gone ? {} : { ...read.state, url: undefined }), ...logger.lines];
    expect(texts.join("\n")).toContain(`mirror ${created.state.mirrorId}`);
    for (const text of texts) {
      expect(text).not.toContain(ROOT_TOKEN);
      expect(text).not.toContain(TARGET_PASSWORD);
    }
  });
});
