/**
 * The dynamic RemoteMirror's state is a format: every resource's `__provider` text `require`s the
 * handlers module by its package path, with whatever version of the package is installed on the next
 * refresh or destroy. The fixture is `pulumi stack export` of a stack that version 0.1.0 made (the code
 * of main at 27fb38e: one disabled mirror of demo/app, created by a JavaScript program through the
 * real CLI); this code must still refresh and destroy it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { HANDLERS_MODULE } from "../../provider/dynamic/serialized-provider";
import { CliStack } from "../../harness/cli-stack";
import { nodeProgramStack } from "../e2e/node-program";
import { GitLabActor, repoRoot } from "../e2e/support";

jest.setTimeout(300_000);

const FIXTURE = path.join(__dirname, "fixtures", "dynamic-stack-0.1.0.json");
const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const MIRROR_TYPE = "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror";
/** What the fixture's program declared; GitLab never returns the password, so the test re-creates the mirror with it. */
const MIRROR_URL = "https://backup-bot:state-format-password@git.example.com/backup/app.git";
const PACKAGE_NAME = "gitlab-mirrors";

interface FixtureResource {
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

function fixtureResources(): FixtureResource[] {
  return (JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { deployment: { resources: FixtureResource[] } }).deployment.resources;
}

describe("the dynamic handlers' module path", () => {
  it("is the one the 0.1.0 state requires", () => {
    const mirror = fixtureResources().find((r) => r.type === MIRROR_TYPE)!;
    expect(String(mirror.outputs?.__provider)).toContain(`require(impl.path)`);
    expect(String(mirror.outputs?.__provider)).toContain(JSON.stringify(HANDLERS_MODULE));
  });

  it("is exported by package.json, and resolves to the handlers", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { exports: Record<string, unknown> };
    expect(HANDLERS_MODULE.startsWith(`${PACKAGE_NAME}/`)).toBe(true);
    const subpath = `./${HANDLERS_MODULE.slice(PACKAGE_NAME.length + 1)}`;
    expect(manifest.exports[subpath]).toBe("./dist/provider/dynamic/handlers.js");
    // Resolved as the dynamic provider host resolves it: through node_modules and the exports map.
    const resolved = require.resolve(HANDLERS_MODULE, { paths: [repoRoot] });
    expect(fs.realpathSync(resolved)).toBe(fs.realpathSync(path.join(repoRoot, "dist", "provider", "dynamic", "handlers.js")));
    const handlers = require(resolved) as Record<string, unknown>;
    for (const method of ["configure", "check", "diff", "create", "read", "update", "remove"]) expect(typeof handlers[method]).toBe("function");
  });
});

describe("a dynamic stack written by version 0.1.0", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: CliStack;
  let mirrorId: number;

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    const made = await actor.api("POST", "/projects/1/remote_mirrors", { url: MIRROR_URL, enabled: false });
    expect(made.status).toBe(201);
    mirrorId = (made.body as { id: number }).id;
    const recorded = fixtureResources().find((r) => r.type === MIRROR_TYPE)!;
    // The fresh emulator gives the mirror the id the recorded one had.
    expect(recorded.id).toBe(`1:${mirrorId}`);

    // Refresh and destroy run no program; the dynamic provider host runs in the program's directory.
    stack = nodeProgramStack("dynamic-state", "tests/e2e/programs/mirror-from-config.js");
    await stack.init("release-0.1.0", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
    });
    // The default provider's recorded settings name the emulator the fixture was made with; the GitLab
    // "moved" to this emulator's port.
    const text = fs.readFileSync(FIXTURE, "utf8").replace(/http:\/\/127\.0\.0\.1:[0-9]+/g, gitlab.baseUrl);
    const imported = path.join(path.dirname(stack.projectDir), "state.json");
    fs.writeFileSync(imported, text);
    await stack.ok(["stack", "import", "--file", imported]);
  });

  afterAll(async () => {
    stack?.dispose();
    await gitlab?.close();
  });

  it("refreshes with this code, finding the mirror as recorded", async () => {
    await actor.resetCounters();
    const result = await stack.ok(["refresh", "--yes", "--skip-preview"]);
    expect(result.log).not.toContain("state-format-password");
    const routes = (await actor.counters()).routes;
    expect(Object.keys(routes).filter((route) => !route.startsWith("GET"))).toEqual([]);
    const { resources } = await stack.exportState();
    const mirror = resources.find((r) => r.type === MIRROR_TYPE);
    expect(mirror?.id).toBe(`1:${mirrorId}`);
    expect(mirror?.outputs).toMatchObject({ mirrorId, projectId: 1, enabled: false });
  });

  it("destroys with this code, deleting the mirror from GitLab", async () => {
    const result = await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(result.stdout).toMatch(/2 deleted/);
    expect(await actor.mirrors(1)).toEqual([]);
  });
});
