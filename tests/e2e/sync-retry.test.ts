/**
 * A sync that fails during `up` fails the step, and the next `up` asks GitLab again even though
 * no input changed (the engine keeps the partially created mirror and updates it).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { GitLabActor, repoRoot } from "./support";
import { AutomationStack } from "../../harness/automation-stack";

jest.setTimeout(300_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;

describe("a failed sync with the real pulumi CLI", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: AutomationStack;
  let scratch: string;
  const target = { path: "late/app", username: "late-bot", password: "late-target-password" };

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-retry-"));
    await makeSampleRepository(scratch);
    await pushAll(scratch, withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN));
    // The target repository does not exist yet, so GitLab's push fails.
    const url = withCredentials(`${gitlab.baseUrl}/-/targets/${target.path}.git`, target.username, target.password);
    stack = new AutomationStack(path.join(repoRoot, "dist", "examples", "quickstart", "index.js"), "quickstart", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
      "quickstart:targetUrl": { value: url, secret: true },
    });
  });

  afterAll(async () => {
    try {
      await stack?.run("destroy");
    } finally {
      stack?.dispose();
      await gitlab?.close();
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("up fails with GitLab's error, keeps the mirror, and the next up syncs again and succeeds", async () => {
    const failed = await stack.run("up");
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/Sync of mirror \d+ on project demo\/app failed \(GitLab: .*not found/);
    expect(failed.log).not.toContain(target.password);
    const [mirror] = await actor.mirrors(1);
    expect(mirror).toBeDefined();

    const created = await fetch(`${gitlab.baseUrl}/-/emulator/targets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(target),
    });
    expect(created.status).toBe(201);
    await actor.resetCounters();
    const repaired = await stack.expectOk("up");
    expect(repaired.changes).toEqual({ same: 1, update: 1 });
    expect((await actor.counters()).routes["POST /projects/:id/remote_mirrors/:mirror_id/sync"]).toBe(1);
    expect(repaired.outputs?.updateStatus.value).toBe("finished");
    expect((await actor.mirrors(1)).map((m) => m.id)).toEqual([mirror.id]);
    const refs = await listRemoteRefs(withCredentials(`${gitlab.baseUrl}/-/targets/${target.path}.git`, target.username, target.password));
    // Protected branches only (main, in the seed) by default; tags always.
    expect([...refs.keys()].sort()).toEqual(["refs/heads/main", "refs/tags/v1.0.0"]);
  });
});
