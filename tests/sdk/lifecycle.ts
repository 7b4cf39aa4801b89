/**
 * The quickstart's whole life through a generated SDK, the provider plugin from this checkout
 * and the real pulumi CLI, against the emulator: the same scenario for every language.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { expectQuickstartCreated, GitLabActor, pulumiBinDirForTests, QUICKSTART_PROJECT_ID as PROJECT_ID } from "../e2e/support";
import type { ConfigEntry } from "../../harness/stack-driver";
import { prepareDriver, QUICKSTART_PROJECTS, SdkDriver, SdkLanguage, SdkStack } from "../../harness/sdk-stack";
import { scenario } from "../support/scenario";

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const TARGET = DEFAULT_SEED.targets![0];

/** The RemoteMirror's outputs as `pulumi stack export` shows them (refresh does not re-run the program). */
async function mirrorState(stack: SdkStack): Promise<Record<string, unknown>> {
  const { deployment } = await stack.expectOk("export");
  const resources = (deployment as { deployment: { resources: Array<{ type: string; outputs: Record<string, unknown> }> } })
    .deployment.resources;
  const mirror = resources.find((r) => r.type === "gitlab-mirrors:index:RemoteMirror");
  if (!mirror) throw new Error("no gitlab-mirrors:index:RemoteMirror in the state");
  return mirror.outputs;
}

export function describeSdkLifecycle(title: string, language: SdkLanguage): void {
  describe(title, () => {
    const { step } = scenario();
    let driver: SdkDriver;
    let gitlab: RunningEmulator;
    let actor: GitLabActor;
    let stack: SdkStack;
    let sourceDir: string;
    let targetUrl: string;
    let sourceRefs: Map<string, string>;
    let mirrorId: number;
    const key = (name: string) => `${QUICKSTART_PROJECTS[language]}:${name}`;
    const connection = (): Record<string, ConfigEntry> => ({
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
    });

    beforeAll(async () => {
      driver = await prepareDriver(language, pulumiBinDirForTests());
      gitlab = await startEmulator();
      actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
      sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-src-"));
      await makeSampleRepository(sourceDir);
      const projectUrl = withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN);
      await pushAll(sourceDir, projectUrl);
      sourceRefs = await listRemoteRefs(projectUrl);
      targetUrl = `${gitlab.baseUrl}/-/targets/${TARGET.path}.git`;
      stack = new SdkStack(driver, "quickstart", {
        ...connection(),
        [key("project")]: { value: "demo/app" },
        [key("targetUrl")]: { value: withCredentials(targetUrl, TARGET.username, TARGET.password), secret: true },
      });
    });

    afterAll(async () => {
      stack?.dispose();
      driver?.dispose();
      await gitlab?.close();
      if (sourceDir) fs.rmSync(sourceDir, { recursive: true, force: true });
    });

    step("up creates the mirror and, with sync, the target receives the protected branch and the tag", async () => {
      const result = await stack.expectOk("up");
      mirrorId = await expectQuickstartCreated(result, { actor, baseUrl: gitlab.baseUrl, sourceRefs });
      expect(result.log).not.toContain(ROOT_TOKEN);
      expect(result.log).not.toContain(TARGET.password);
    });

    step("a second preview reports no changes and makes no mirror API request, only the token check", async () => {
      await actor.resetCounters();
      const result = await stack.expectOk("preview");
      expect(result.changes).toEqual({ same: 2 });
      // No mirror API request; one GET /user, the provider's early token check (one per provider instance).
      expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
    });

    step("the exported state holds neither the token nor the target password in plaintext", async () => {
      const state = JSON.stringify((await stack.expectOk("export")).deployment);
      expect(state).toContain(`"mirrorId":${mirrorId}`);
      expect(state).not.toContain(ROOT_TOKEN);
      expect(state).not.toContain(TARGET.password);
    });

    step("getRemoteMirrors lists the project's mirror with its credentials masked", async () => {
      const discovery = new SdkStack(driver, "discover", { ...connection(), [key("project")]: { value: "demo/app" } });
      try {
        const result = await discovery.expectOk("up");
        expect(result.outputs?.mirrors.value).toEqual([{
          id: mirrorId,
          url: `${gitlab.baseUrl.replace("://", "://*****:*****@")}/-/targets/${TARGET.path}.git`,
          enabled: true,
          updateStatus: "finished",
        }]);
        expect(result.log).not.toContain(TARGET.password);
      } finally {
        discovery.dispose();
      }
    });

    step("changing enabled updates the mirror in place", async () => {
      stack.config[key("enabled")] = { value: "false" };
      stack.config[key("sync")] = { value: "false" };
      expect((await stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect((await actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled])).toEqual([[mirrorId, false]]);
      stack.config[key("enabled")] = { value: "true" };
      expect((await stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect((await actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled])).toEqual([[mirrorId, true]]);
    });

    step("disabling the mirror out of band shows as drift on refresh, and the next up repairs it", async () => {
      const put = await actor.api("PUT", `/projects/${PROJECT_ID}/remote_mirrors/${mirrorId}`, { enabled: false });
      expect(put.status).toBe(200);
      expect((await stack.expectOk("refresh")).changes).toEqual({ same: 1, update: 1 });
      expect(await mirrorState(stack)).toMatchObject({ mirrorId, enabled: false });
      expect((await stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect((await actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled])).toEqual([[mirrorId, true]]);
    });

    step("rotating the credentials in the URL replaces the mirror, deleting the old one first", async () => {
      // GitLab refuses a second mirror with the same URL in a project: creating first would fail.
      const rotated = "rotated-target-password";
      stack.config[key("targetUrl")] = { value: withCredentials(targetUrl, TARGET.username, rotated), secret: true };
      const result = await stack.expectOk("up");
      expect(result.changes).toEqual({ same: 1, replace: 1 });
      const mirrors = await actor.mirrors(PROJECT_ID);
      expect(mirrors).toHaveLength(1);
      expect(mirrors[0].id).not.toBe(mirrorId);
      expect(result.outputs?.mirrorId.value).toBe(mirrors[0].id);
      const state = JSON.stringify((await stack.expectOk("export")).deployment);
      expect(state).not.toContain(rotated);
      expect(state).not.toContain(ROOT_TOKEN);
      expect(result.log).not.toContain(rotated);
      mirrorId = mirrors[0].id;
    });

    step("destroy removes the mirror from GitLab", async () => {
      expect((await stack.expectOk("destroy")).changes).toEqual({ delete: 2 });
      expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
    });
  });
}
