/**
 * ProjectMirrors through the generated Python and Go SDKs, inline programs of the Automation API, the
 * plugin of this checkout and the real CLI, against the emulator: two projects' sets, a preview with no
 * request, a mirror added by hand reported by refresh and deleted by an exclusive set, one entry's
 * credentials rotated, destroy.
 */
import { DEFAULT_SEED, EmulatorSeed, RunningEmulator, startEmulator } from "../../emulator";
import { prepareDriver, QUICKSTART_PROJECTS, SdkDriver, SdkLanguage, SdkStack } from "../../harness/sdk-stack";
import { scenario } from "../support/scenario";
import { GitLabActor, pulumiBinDirForTests } from "./support";

jest.setTimeout(900_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const SEED: EmulatorSeed = {
  ...DEFAULT_SEED,
  projects: [1, 2].map((id) => ({ id, path: `sets/p-${id}`, visibility: "private" as const, members: {}, protectedBranches: ["main"], defaultBranch: "main" })),
};

const url = (name: string, password: string) => `https://bot:${password}@mirror.example.com/${name}.git`;

interface DeclaredSet {
  project: string;
  mirrors: Array<{ url: string; enabled?: boolean; keepDivergentRefs?: boolean }>;
  exclusive?: boolean;
}

function sets(secondPassword: string, exclusive: boolean): DeclaredSet[] {
  return [
    { project: "sets/p-1", mirrors: [{ url: url("a1", "sdk-password") }, { url: url("a2", secondPassword), keepDivergentRefs: false }] },
    { project: "sets/p-2", mirrors: [{ url: url("b1", "sdk-password"), enabled: false }], exclusive },
  ];
}

describe.each<SdkLanguage>(["python", "go"])("ProjectMirrors through the %s SDK", (language) => {
  const { step } = scenario();
  let driver: SdkDriver;
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: SdkStack;
  const configure = (declared: DeclaredSet[]) => {
    stack.config = {
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
      [`${QUICKSTART_PROJECTS[language]}:sets`]: { value: JSON.stringify(declared), secret: true },
    };
  };
  const held = async (project: number) => (await actor.mirrors(project)).map((m) => ({ id: m.id, url: m.url, enabled: m.enabled }));

  beforeAll(async () => {
    driver = await prepareDriver(language, pulumiBinDirForTests());
    gitlab = await startEmulator({ seed: SEED });
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    stack = new SdkStack(driver, "project_mirrors", {});
    configure(sets("sdk-password", false));
  });

  afterAll(async () => {
    stack?.dispose();
    driver?.dispose();
    await gitlab?.close();
  });

  step("up creates both sets; the outputs name GitLab's mirrors; the log and state hold no password", async () => {
    const result = await stack.expectOk("up");
    expect(result.changes).toEqual({ create: 3 });
    const one = await held(1);
    expect(one.map((m) => m.url)).toEqual(["https://*****:*****@mirror.example.com/a1.git", "https://*****:*****@mirror.example.com/a2.git"]);
    expect(result.outputs?.set0.value).toEqual({ projectId: 1, mirrorIds: one.map((m) => m.id), unmanaged: [] });
    expect(await held(2)).toEqual([expect.objectContaining({ enabled: false })]);
    expect(result.log).not.toContain("sdk-password");
    expect(JSON.stringify((await stack.expectOk("export")).deployment)).not.toContain("sdk-password");
  });

  step("a preview makes no mirror request (only the provider's token check)", async () => {
    await actor.resetCounters();
    const result = await stack.expectOk("preview");
    expect(result.changes).toEqual({ same: 3 });
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
  });

  step("refresh reports a mirror added by hand, and an exclusive set deletes it", async () => {
    const added = await actor.api("POST", "/projects/2/remote_mirrors", { url: url("leak", "hand"), enabled: true });
    await stack.expectOk("refresh");
    const deployment = (await stack.expectOk("export")).deployment as { deployment: { resources: Array<{ type: string; id?: string; outputs: Record<string, unknown> }> } };
    const setB = deployment.deployment.resources.find((r) => r.type === "gitlab-mirrors:index:ProjectMirrors" && r.id === "2");
    expect(setB?.outputs.unmanagedMirrors).toEqual([{ id: (added.body as { id: number }).id, url: "https://*****:*****@mirror.example.com/leak.git", enabled: true }]);
    configure(sets("sdk-password", true));
    await stack.expectOk("up");
    expect((await held(2)).map((m) => m.url)).toEqual(["https://*****:*****@mirror.example.com/b1.git"]);
  });

  step("rotating one entry's credentials replaces that mirror only; destroy leaves none", async () => {
    const before = await held(1);
    configure(sets("sdk-rotated", true));
    const result = await stack.expectOk("up");
    expect(result.changes).toMatchObject({ update: 1 });
    const after = await held(1);
    expect(after.find((m) => m.url.endsWith("a1.git"))?.id).toBe(before[0].id);
    expect(after.find((m) => m.url.endsWith("a2.git"))?.id).not.toBe(before[1].id);
    expect(result.log).not.toContain("sdk-rotated");
    await stack.expectOk("destroy");
    expect(await held(1)).toEqual([]);
    expect(await held(2)).toEqual([]);
  });
});
