/**
 * The quickstart's whole life through a generated SDK, the provider plugin from this checkout
 * and the real pulumi CLI, against the emulator: the same scenario for every language (Python and Go
 * through their Automation API drivers, TypeScript's plugin SDK through the CLI and the Node.js host).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { expectQuickstartCreated, GitLabActor, pulumiBinDirForTests, QUICKSTART_PROJECT_ID as PROJECT_ID } from "../e2e/support";
import { type ConfigEntry, expectOk, type Operation, type StackDriver, type StackResult } from "../../harness/stack-driver";
import { prepareDriver, QUICKSTART_PROJECTS, SdkLanguage, SdkStack } from "../../harness/sdk-stack";
import { nodeProgramStack } from "../e2e/node-program";
import { scenario } from "../support/scenario";

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const TARGET = DEFAULT_SEED.targets![0];

/** The RemoteMirror's outputs as `pulumi stack export` shows them (refresh does not re-run the program). */
async function mirrorState(stack: StackDriver): Promise<Record<string, unknown>> {
  const { deployment } = await stack.expectOk("export");
  const resources = (deployment as { deployment: { resources: Array<{ type: string; outputs: Record<string, unknown> }> } })
    .deployment.resources;
  const mirror = resources.find((r) => r.type === "gitlab-mirrors:index:RemoteMirror");
  if (!mirror) throw new Error("no gitlab-mirrors:index:RemoteMirror in the state");
  return mirror.outputs;
}

/** The quickstart and discovery programs of one language, each opened as a stack. */
interface LanguagePrograms {
  /** The quickstart's Pulumi project: the namespace of its configuration. */
  project: string;
  open(program: "quickstart" | "discover", config: Record<string, ConfigEntry>): StackDriver;
  dispose(): void;
}

async function sdkPrograms(language: SdkLanguage): Promise<LanguagePrograms> {
  const driver = await prepareDriver(language, pulumiBinDirForTests());
  return {
    project: QUICKSTART_PROJECTS[language],
    open: (program, config) => new SdkStack(driver, program, config),
    dispose: () => driver.dispose(),
  };
}

/** TypeScript on the plugin path: compiled programs of tests/e2e/programs, run by the CLI. */
function typescriptPluginPrograms(): LanguagePrograms {
  const project = "quickstart-typescript";
  return {
    project,
    open: (program, config) => {
      const stack = nodeProgramStack(project, `tests/e2e/programs/${program}-plugin.js`, {
        pluginFromCheckout: true,
        env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" },
      });
      stack.config = config;
      // The scenario reads the state as stored, secrets encrypted (CliStack's export reveals them).
      const encryptedExport = async (): Promise<StackResult> => ({
        ok: true,
        deployment: JSON.parse((await stack.ok(["stack", "export"])).stdout) as StackResult["deployment"],
        log: "",
      });
      const driver: StackDriver = {
        get config() {
          return stack.config;
        },
        set config(value) {
          stack.config = value;
        },
        run: (operation: Operation) => (operation === "export" ? encryptedExport() : stack.run(operation)),
        expectOk: (operation: Operation) => expectOk(driver, operation),
        dispose: () => stack.dispose(),
      };
      return driver;
    },
    dispose: () => undefined,
  };
}

export function describeSdkLifecycle(title: string, language: SdkLanguage | "typescript-plugin"): void {
  describe(title, () => {
    const { step } = scenario();
    let programs: LanguagePrograms;
    let gitlab: RunningEmulator;
    let actor: GitLabActor;
    let stack: StackDriver;
    let sourceDir: string;
    let targetUrl: string;
    let sourceRefs: Map<string, string>;
    let mirrorId: number;
    const key = (name: string) => `${programs.project}:${name}`;
    const connection = (): Record<string, ConfigEntry> => ({
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
    });

    beforeAll(async () => {
      programs = language === "typescript-plugin" ? typescriptPluginPrograms() : await sdkPrograms(language);
      gitlab = await startEmulator();
      actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
      sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-src-"));
      await makeSampleRepository(sourceDir);
      const projectUrl = withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN);
      await pushAll(sourceDir, projectUrl);
      sourceRefs = await listRemoteRefs(projectUrl);
      targetUrl = `${gitlab.baseUrl}/-/targets/${TARGET.path}.git`;
      stack = programs.open("quickstart", {
        ...connection(),
        [key("project")]: { value: "demo/app" },
        [key("targetUrl")]: { value: withCredentials(targetUrl, TARGET.username, TARGET.password), secret: true },
      });
    });

    afterAll(async () => {
      stack?.dispose();
      programs?.dispose();
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
      const discovery = programs.open("discover", { ...connection(), [key("project")]: { value: "demo/app" } });
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
