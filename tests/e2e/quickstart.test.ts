/**
 * The quickstart example through the real pulumi CLI (file backend) against the emulator:
 * the whole life of one push mirror, as a platform team would run it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { expectQuickstartCreated, GitLabActor, QUICKSTART_PROJECT_ID as PROJECT_ID, repoRoot } from "./support";
import { AutomationStack } from "../../harness/automation-stack";
import { scenario } from "../support/scenario";

jest.setTimeout(300_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const TARGET = DEFAULT_SEED.targets![0];

describe("examples/quickstart with the real pulumi CLI", () => {
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: AutomationStack;
  let sourceDir: string;
  let targetUrl: string;
  let sourceRefs: Map<string, string>;

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-src-"));
    await makeSampleRepository(sourceDir);
    const projectUrl = withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN);
    await pushAll(sourceDir, projectUrl);
    sourceRefs = await listRemoteRefs(projectUrl);
    targetUrl = `${gitlab.baseUrl}/-/targets/${TARGET.path}.git`;
    stack = new AutomationStack(path.join(repoRoot, "dist", "examples", "quickstart", "index.js"), "quickstart", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
      "quickstart:project": { value: "demo/app" },
      "quickstart:targetUrl": { value: withCredentials(targetUrl, TARGET.username, TARGET.password), secret: true },
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await gitlab?.close();
    if (sourceDir) fs.rmSync(sourceDir, { recursive: true, force: true });
  });

  let firstMirrorId: number;

  async function mirrorInputs(): Promise<Record<string, unknown>> {
    const { deployment } = await stack.expectOk("export");
    const resources = (deployment as { deployment: { resources: Array<{ type: string; inputs: Record<string, unknown> }> } })
      .deployment.resources;
    return resources.find((r) => r.type.endsWith(":RemoteMirror"))?.inputs ?? {};
  }

  /** The RemoteMirror's outputs as `pulumi stack export` shows them (refresh does not re-run the program). */
  async function mirrorState(): Promise<Record<string, unknown>> {
    const { deployment } = await stack.expectOk("export");
    const resources = (deployment as { deployment: { resources: Array<{ type: string; outputs: Record<string, unknown> }> } })
      .deployment.resources;
    const mirror = resources.find((r) => r.type.endsWith(":RemoteMirror"));
    if (!mirror) throw new Error("no RemoteMirror in the state");
    return mirror.outputs;
  }

  step("up creates the mirror and, with sync, the target receives the protected branch and the tag, never force-pushed", async () => {
    firstMirrorId = await expectQuickstartCreated(await stack.expectOk("up"), { actor, baseUrl: gitlab.baseUrl, sourceRefs });
  });

  step("a second preview reports no changes and makes zero API requests", async () => {
    await actor.resetCounters();
    const result = await stack.expectOk("preview");
    expect(result.changes).toEqual({ same: 2 });
    expect((await actor.counters()).total).toBe(0);
  });

  // Regression: read returned every input with its default while the program gave only some, so
  // the next diff listed the defaulted inputs as removed.
  step("after a refresh the next preview still has nothing to do", async () => {
    const inputsBefore = await mirrorInputs();
    const refresh = await stack.expectOk("refresh");
    expect(refresh.changes).toEqual({ same: 2 });
    // The inputs a read returns have the shape the program's checked inputs have.
    expect(Object.keys(await mirrorInputs()).sort()).toEqual(Object.keys(inputsBefore).sort());
    const preview = await stack.expectOk("preview");
    expect(preview.changes).toEqual({ same: 2 });
    expect(preview.log).not.toMatch(/\[diff: /);
  });

  step("the exported state holds neither the token nor the target password in plaintext", async () => {
    const result = await stack.expectOk("export");
    const state = JSON.stringify(result.deployment);
    expect(state).toContain(`"mirrorId":${firstMirrorId}`);
    expect(state).not.toContain(ROOT_TOKEN);
    expect(state).not.toContain(TARGET.password);
  });

  step("changing enabled updates the mirror in place", async () => {
    stack.config["quickstart:enabled"] = { value: "false" };
    stack.config["quickstart:sync"] = { value: "false" };
    const result = await stack.expectOk("up");
    expect(result.changes).toEqual({ same: 1, update: 1 });
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors.map((m) => [m.id, m.enabled])).toEqual([[firstMirrorId, false]]);
    stack.config["quickstart:enabled"] = { value: "true" };
    expect((await stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
    expect((await actor.mirrors(PROJECT_ID))[0].enabled).toBe(true);
  });

  step("disabling the mirror out of band shows as drift on refresh, and the next up repairs it", async () => {
    const put = await actor.api("PUT", `/projects/${PROJECT_ID}/remote_mirrors/${firstMirrorId}`, { enabled: false });
    expect(put.status).toBe(200);
    const refresh = await stack.expectOk("refresh");
    expect(refresh.changes).toEqual({ same: 1, update: 1 });
    expect(await mirrorState()).toMatchObject({ mirrorId: firstMirrorId, enabled: false });
    const up = await stack.expectOk("up");
    expect(up.changes).toEqual({ same: 1, update: 1 });
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors.map((m) => [m.id, m.enabled])).toEqual([[firstMirrorId, true]]);
  });

  step("rotating the credentials in the URL replaces the mirror, deleting the old one first", async () => {
    const rotated = "rotated-target-password";
    stack.config["quickstart:targetUrl"] = { value: withCredentials(targetUrl, TARGET.username, rotated), secret: true };
    const result = await stack.expectOk("up");
    expect(result.changes).toEqual({ same: 1, replace: 1 });
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    expect(mirrors[0].id).not.toBe(firstMirrorId);
    expect(result.outputs?.mirrorId.value).toBe(mirrors[0].id);
    const state = JSON.stringify((await stack.expectOk("export")).deployment);
    expect(state).not.toContain(rotated);
    expect(result.log).not.toContain(rotated);
    firstMirrorId = mirrors[0].id;
  });

  step("deleting the mirror out of band drops it on refresh, and the next up recreates it", async () => {
    const del = await actor.api("DELETE", `/projects/${PROJECT_ID}/remote_mirrors/${firstMirrorId}`);
    expect(del.status).toBe(204);
    const refresh = await stack.expectOk("refresh");
    expect(refresh.changes).toEqual({ same: 1, delete: 1 });
    // A warning of ours shows as the engine's warning, not as a plain line of the provider's stderr.
    expect(refresh.log).toMatch(new RegExp(`warning: demo/app: mirror ${firstMirrorId} no longer exists in GitLab`));
    expect(refresh.log).not.toContain("[gitlab-mirrors] warning:");
    const up = await stack.expectOk("up");
    expect(up.changes).toEqual({ same: 1, create: 1 });
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    expect(mirrors[0].id).not.toBe(firstMirrorId);
  });

  step("destroy removes the mirror from GitLab", async () => {
    const result = await stack.expectOk("destroy");
    expect(result.changes).toEqual({ delete: 2 });
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
  });
});
