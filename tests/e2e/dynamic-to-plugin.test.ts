/**
 * Moving a stack from the dynamic RemoteMirror to the plugin's, as docs/dynamic-to-plugin.md tells:
 * the mirror in GitLab is the same one before and after; nothing is created, changed or deleted there.
 */
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { withCredentials } from "../../harness/git";
import { CliStack } from "../../harness/cli-stack";
import { nodeProgramStack } from "./node-program";
import { GitLabActor } from "./support";
import { scenario } from "../support/scenario";

jest.setTimeout(600_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const PROJECT_ID = 1;
const URL = withCredentials("https://git.example.com/backup/app.git", "bot", "move-password");

describe("moving a stack from the dynamic RemoteMirror to the plugin's", () => {
  // Each test builds on the ones before it: a step run alone first runs those.
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: CliStack;
  let mirrorId: number;

  /** The GitLab requests other than reads since the last reset. */
  async function writes(): Promise<string[]> {
    return Object.keys((await actor.counters()).routes).filter((route) => !route.startsWith("GET"));
  }

  async function resourceTypes(): Promise<string[]> {
    return (await stack.exportState()).resources.map((r) => r.type).filter((type) => type.endsWith("RemoteMirror"));
  }

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    stack = nodeProgramStack("move", "tests/e2e/programs/dynamic-to-plugin.js", {
      pluginFromCheckout: true,
      env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" },
    });
    await stack.init("dev", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
      "move:url": { value: URL, secret: true },
      "move:stage": { value: "dynamic" },
    });
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    mirrorId = mirrors[0].id;
    expect(await resourceTypes()).toEqual(["pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror"]);
  });

  afterAll(async () => {
    stack?.dispose();
    await gitlab?.close();
  });

  step("1. retainOnDelete on the dynamic resource is recorded without a GitLab write", async () => {
    await stack.setConfig("move:stage", "retain");
    await actor.resetCounters();
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(await writes()).toEqual([]);
    const [mirror] = (await stack.exportState()).resources.filter((r) => r.type.endsWith("RemoteMirror"));
    expect((mirror as { retainOnDelete?: boolean }).retainOnDelete).toBe(true);
  });

  step("2. the plugin's settings, then the plugin's resource imports the same mirror and the dynamic one is forgotten", async () => {
    await stack.setConfig("gitlab-mirrors:baseUrl", gitlab.baseUrl);
    await stack.setConfig("gitlab-mirrors:token", ROOT_TOKEN, true);
    const id = JSON.parse((await stack.ok(["stack", "output", "mirrorResourceId", "--json"])).stdout) as string;
    expect(id).toBe(`${PROJECT_ID}:${mirrorId}`);
    await stack.setConfig("move:id", id);
    await stack.setConfig("move:stage", "import");
    await actor.resetCounters();
    const result = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(result.stdout).toMatch(/1 imported/);
    expect(result.stdout).toMatch(/1 deleted/);
    expect(result.log).not.toContain("move-password");
    expect(await writes()).toEqual([]);
    expect((await actor.mirrors(PROJECT_ID)).map((m) => m.id)).toEqual([mirrorId]);
    expect(await resourceTypes()).toEqual(["gitlab-mirrors:index:RemoteMirror"]);
    const outputs = JSON.parse((await stack.ok(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    expect(outputs).toMatchObject({ mirrorResourceId: id, mirrorId });
  });

  step("3. without the import option the program previews clean with 0 requests, and the mirror is still the same", async () => {
    await stack.setConfig("move:stage", "plugin");
    await actor.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    // No mirror request: only the plugin's early token check.
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(await writes()).toEqual([]);
    expect((await actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled])).toEqual([[mirrorId, false]]);
  });

  step("4. the plugin now owns it: destroy deletes that mirror", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
  });
});
