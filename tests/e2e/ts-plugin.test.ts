/**
 * The plugin's resources from TypeScript (`gitlab-mirrors/plugin`, generated from the schema), run by
 * the real CLI against the emulator: up, a preview that makes no GitLab request, a detailed diff,
 * `pulumi import`, a ProjectMirrors set, two GitLab instances through explicit providers, destroy.
 */
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { withCredentials } from "../../harness/git";
import { CliStack, StateResource } from "../../harness/cli-stack";
import { nodeProgramStack } from "./node-program";
import { GitLabActor } from "./support";
import { scenario } from "../support/scenario";

jest.setTimeout(600_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const PROJECT_ID = 1;
const MIRROR_TYPE = "gitlab-mirrors:index:RemoteMirror";
const PROGRAM = "tests/e2e/programs/plugin-mirrors.js";
const TARGET_URL = withCredentials("https://git.example.com/backup/app.git", "bot", "ts-plugin-password");

function mirrorsIn(resources: StateResource[]): StateResource[] {
  return resources.filter((r) => r.type === MIRROR_TYPE);
}

describe("a TypeScript program on the plugin path", () => {
  // Each test builds on the ones before it: a step run alone first runs those.
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: CliStack;
  let mirrorId: number;

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    stack = nodeProgramStack("ts-plugin", PROGRAM, { pluginFromCheckout: true, env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" } });
    await stack.init("dev", {
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
      "plugin:targetUrl": { value: TARGET_URL, secret: true },
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await gitlab?.close();
  });

  step("up creates the mirror through the plugin, recorded as the plugin's resource", async () => {
    const result = await stack.ok(["up", "--yes", "--skip-preview"]);
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    mirrorId = mirrors[0].id;
    expect(mirrors[0].enabled).toBe(true);
    expect(result.stdout).toContain(`mirrorId    : ${mirrorId}`);
    expect(result.log).not.toContain("ts-plugin-password");
    const { text, resources } = await stack.exportState();
    expect(text).not.toContain("ts-plugin-password");
    const [mirror] = mirrorsIn(resources);
    expect(mirror.id).toBe(`${PROJECT_ID}:${mirrorId}`);
    // The engine's own provider for the package, not the dynamic provider.
    expect(mirror.provider).toMatch(/::pulumi:providers:gitlab-mirrors::default/);
    expect(resources.some((r) => r.type.startsWith("pulumi-nodejs:"))).toBe(false);
  });

  step("a second preview reports no changes and makes no mirror request", async () => {
    await actor.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    // No mirror request: only the provider's early token check.
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
  });

  step("the diff is detailed: a mirror disabled out of band shows enabled false => true, and up repairs it in place", async () => {
    expect((await actor.api("PUT", `/projects/${PROJECT_ID}/remote_mirrors/${mirrorId}`, { enabled: false })).status).toBe(200);
    await stack.ok(["refresh", "--yes", "--skip-preview"]);
    const preview = await stack.ok(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/~ enabled\s*: false => true/);
    expect(preview.stdout).toContain("~ gitlab-mirrors:index:RemoteMirror: (update)");
    expect((await stack.ok(["preview"])).stdout).toMatch(/mirror\s+update\s+\[diff: ~enabled\]/);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect((await actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled])).toEqual([[mirrorId, true]]);

    // A change in the program: an update in place, named by property, never a replacement.
    await stack.setConfig("plugin:enabled", "false");
    const changed = await stack.ok(["preview", "--diff"]);
    expect(changed.stdout).toMatch(/~ enabled\s*: true => false/);
    expect(changed.stdout).not.toMatch(/replace/);
    await stack.setConfig("plugin:enabled", "true");
  });

  step("pulumi import adopts a mirror made through the API, and the declared resource then previews clean", async () => {
    const importedUrl = withCredentials("https://git.example.com/backup/imported.git", "bot", "imported-password");
    const made = await actor.api("POST", `/projects/${PROJECT_ID}/remote_mirrors`, {
      url: importedUrl,
      enabled: true,
      only_protected_branches: true,
      keep_divergent_refs: true,
    });
    expect(made.status).toBe(201);
    const madeId = (made.body as { id: number }).id;
    const imported = await stack.ok(["import", MIRROR_TYPE, "imported", `${PROJECT_ID}:${madeId}`, "--yes", "--protect=false", "--generate-code=false"]);
    expect(imported.log).not.toContain("imported-password");
    const state = mirrorsIn((await stack.exportState()).resources).find((r) => r.urn.endsWith("::imported"));
    expect(state?.id).toBe(`${PROJECT_ID}:${madeId}`);
    expect(state?.outputs).toMatchObject({ mirrorId: madeId, enabled: true });

    await stack.setConfig("plugin:importedUrl", importedUrl, true);
    await actor.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    // No mirror request: only the provider's early token check.
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
  });

  step("a ProjectMirrors set from TypeScript creates its entries, sees the others as unmanaged, and previews clean", async () => {
    const urls = ["a", "b"].map((name) => withCredentials(`https://git.example.com/backup/set-${name}.git`, "bot", "set-password"));
    await stack.setConfig("plugin:setUrls", JSON.stringify(urls), true);
    const before = (await actor.mirrors(PROJECT_ID)).map((m) => m.id);
    const up = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(up.log).not.toContain("set-password");
    const created = (await actor.mirrors(PROJECT_ID)).filter((m) => !before.includes(m.id));
    expect(created.map((m) => [m.url, m.enabled])).toEqual([
      ["https://*****:*****@git.example.com/backup/set-a.git", false],
      ["https://*****:*****@git.example.com/backup/set-b.git", false],
    ]);
    const outputs = JSON.parse((await stack.ok(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, number[]>;
    expect(outputs.setMirrorIds).toEqual(created.map((m) => m.id));
    // The two RemoteMirrors of this stack are mirrors of the project that the set does not declare.
    expect([...outputs.setUnmanaged].sort()).toEqual([...before].sort());
    await actor.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    // No mirror request: only the provider's early token check.
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
  });

  step("destroy removes every mirror from GitLab", async () => {
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
    expect(mirrorsIn((await stack.exportState()).resources)).toEqual([]);
  });
});

describe("two GitLab instances from a TypeScript program, through explicit providers", () => {
  let east: RunningEmulator;
  let west: RunningEmulator;
  let stack: CliStack;

  beforeAll(async () => {
    [east, west] = await Promise.all([startEmulator(), startEmulator()]);
    stack = nodeProgramStack("ts-plugin-two", PROGRAM, { pluginFromCheckout: true, env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" } });
    await stack.init("dev", {
      "plugin:eastUrl": { value: east.baseUrl },
      "plugin:westUrl": { value: west.baseUrl },
      "plugin:token": { value: ROOT_TOKEN, secret: true },
      "plugin:backupUrl": { value: TARGET_URL, secret: true },
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await Promise.all([east?.close(), west?.close()]);
  });

  test("each provider's mirror lands on its own instance, getRemoteMirrors lists through its provider, destroy empties both", async () => {
    const eastActor = new GitLabActor(east.baseUrl, ROOT_TOKEN);
    const westActor = new GitLabActor(west.baseUrl, ROOT_TOKEN);
    const up = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(up.log).not.toContain("ts-plugin-password");
    expect(up.log).not.toContain(ROOT_TOKEN);
    const eastMirrors = await eastActor.mirrors(PROJECT_ID);
    const westMirrors = await westActor.mirrors(PROJECT_ID);
    expect(eastMirrors.map((m) => m.enabled)).toEqual([true]);
    expect(westMirrors.map((m) => m.enabled)).toEqual([false]);

    const listed = await stack.ok(["stack", "output", "eastMirrors", "--json", "--show-secrets"]);
    expect(JSON.parse(listed.stdout)).toEqual([{ id: eastMirrors[0].id, url: "https://*****:*****@git.example.com/backup/app.git", enabled: true }]);

    const { resources, text } = await stack.exportState();
    expect(text).not.toContain(ROOT_TOKEN);
    const byName = new Map(mirrorsIn(resources).map((r) => [r.urn.split("::").pop(), r.provider ?? ""]));
    expect(byName.get("eastMirror")).toMatch(/::pulumi:providers:gitlab-mirrors::east::/);
    expect(byName.get("westMirror")).toMatch(/::pulumi:providers:gitlab-mirrors::west::/);

    await Promise.all([eastActor.resetCounters(), westActor.resetCounters()]);
    await stack.ok(["preview", "--expect-no-changes"]);
    // getRemoteMirrors is a read the program asks for on every run; no resource calls GitLab.
    expect((await westActor.counters()).routes).toEqual({ "GET /user": 1 });
    expect(Object.keys((await eastActor.counters()).routes).filter((route) => !route.startsWith("GET"))).toEqual([]);

    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await eastActor.mirrors(PROJECT_ID)).toEqual([]);
    expect(await westActor.mirrors(PROJECT_ID)).toEqual([]);
  });
});
