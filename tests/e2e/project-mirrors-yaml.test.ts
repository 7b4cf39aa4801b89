/**
 * ProjectMirrors from a YAML program through the real CLI and the plugin of this checkout, against the
 * emulator: two projects' sets, a preview with no request, a mirror added by hand reported by refresh and
 * deleted by an exclusive set, one entry's credentials rotated, a `pulumi up` killed midway and run again,
 * a conflict with a RemoteMirror refused at preview, import, and destroy.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SEED, EmulatorSeed, RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, StateResource } from "../../harness/cli-stack";
import { killMidway } from "../support/process-tree";
import { scenario } from "../support/scenario";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";

jest.setTimeout(600_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const SET_TYPE = "gitlab-mirrors:index:ProjectMirrors";
const PASSWORD = "yaml-set-password";
const ROTATED = "yaml-set-rotated-password";
const KILLED_COUNT = 8;

const SEED: EmulatorSeed = {
  ...DEFAULT_SEED,
  projects: [1, 2, 3, 4].map((id) => ({ id, path: `sets/p-${id}`, visibility: "private" as const, members: {}, protectedBranches: ["main"], defaultBranch: "main" })),
};

function target(name: string, password = "${password}"): string {
  return `https://bot:${password}@mirror.example.com/${name}.git`;
}

/** The program: two sets, and a third of KILLED_COUNT mirrors once `big` is given. */
function program(big = false): string {
  const teamC = big ? `\n${Array.from({ length: KILLED_COUNT }, (_, i) => `        - url: ${target(`c${i}`)}`).join("\n")}` : " []";
  return `name: sets
runtime: yaml
packages:
  gitlab-mirrors: ${repoRoot}
config:
  password:
    type: string
    secret: true
  secondPassword:
    type: string
    secret: true
  exclusive:
    type: boolean
    default: false
resources:
  team-a:
    type: ${SET_TYPE}
    properties:
      project: sets/p-1
      mirrors:
        - url: ${target("a1")}
        - url: ${target("a2", "${secondPassword}")}
          keepDivergentRefs: false
  team-b:
    type: ${SET_TYPE}
    properties:
      project: sets/p-2
      exclusive: \${exclusive}
      mirrors:
        - url: ${target("b1")}
          enabled: false
  team-c:
    type: ${SET_TYPE}
    properties:
      project: sets/p-3
      mirrors:${teamC}
`;
}

function setsIn(resources: StateResource[]): Map<string, StateResource> {
  return new Map(resources.filter((r) => r.type === SET_TYPE).map((r) => [r.urn.split("::").pop()!, r]));
}


describe("ProjectMirrors from a YAML program", () => {
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: CliStack;

  const held = async (projectId: number) => (await actor.mirrors(projectId)).map((m) => ({ id: m.id, url: m.url, enabled: m.enabled }));

  beforeAll(async () => {
    gitlab = await startEmulator({ seed: SEED });
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    stack = new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": program() } });
    await stack.init("dev", {
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
      password: { value: PASSWORD, secret: true },
      secondPassword: { value: PASSWORD, secret: true },
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await gitlab?.close();
  });

  step("up creates both projects' sets with one list and one POST per mirror", async () => {
    await actor.resetCounters();
    const result = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(result.log).not.toContain(PASSWORD);
    const { routes } = await actor.counters();
    // Projects named by path: one GET /projects/:id each (team-c's too, with no mirror) and one list each.
    // And the provider's early token check: one GET /user.
    expect(routes).toEqual({ "GET /user": 1, "GET /projects/:id": 3, "GET /projects/:id/remote_mirrors": 3, "POST /projects/:id/remote_mirrors": 3 });
    expect(await held(1)).toEqual([
      expect.objectContaining({ url: "https://*****:*****@mirror.example.com/a1.git", enabled: true }),
      expect.objectContaining({ url: "https://*****:*****@mirror.example.com/a2.git", enabled: true }),
    ]);
    expect(await held(2)).toEqual([expect.objectContaining({ url: "https://*****:*****@mirror.example.com/b1.git", enabled: false })]);
    const state = await stack.exportState();
    expect(state.text).not.toContain(PASSWORD);
    const sets = setsIn(state.resources);
    expect(sets.get("team-a")?.id).toBe("1");
    expect((sets.get("team-a")?.outputs?.mirrors as unknown[]).length).toBe(2);
  });

  step("a second preview reports no changes and makes no mirror request (only the provider's token check)", async () => {
    await actor.resetCounters();
    await stack.ok(["preview", "--expect-no-changes"]);
    expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });
  });

  step("refresh reports a mirror added by hand; an exclusive set shows its deletion in the preview and up deletes it", async () => {
    const added = await actor.api("POST", "/projects/2/remote_mirrors", { url: target("leak", "hand-secret"), enabled: true });
    expect(added.status).toBe(201);
    const refresh = await stack.ok(["refresh", "--yes"]);
    expect(refresh.stdout).toMatch(/team-b.*\n?.*mirror \d+ \(https:\/\/\*\*\*\*\*:\*\*\*\*\*@mirror\.example\.com\/leak\.git\) is not declared by this set/);
    const unmanaged = setsIn((await stack.exportState()).resources).get("team-b")?.outputs?.unmanagedMirrors;
    expect(unmanaged).toEqual([{ id: (added.body as { id: number }).id, url: "https://*****:*****@mirror.example.com/leak.git", enabled: true }]);

    await stack.setConfig("exclusive", "true");
    const preview = await stack.ok(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/- unmanagedMirrors\s*: \[[\s\S]*leak\.git/);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect((await held(2)).map((m) => m.url)).toEqual(["https://*****:*****@mirror.example.com/b1.git"]);
    await stack.ok(["preview", "--expect-no-changes"]);
  });

  step("rotating one entry's credentials replaces that mirror only", async () => {
    const before = await held(1);
    await stack.setConfig("secondPassword", ROTATED, true);
    const preview = await stack.ok(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/~ gitlab-mirrors:index:ProjectMirrors: \(update\)[\s\S]*team-a/);
    expect(preview.stdout).not.toContain(ROTATED);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const after = await held(1);
    expect(after).toHaveLength(2);
    expect(after.find((m) => m.url.endsWith("a1.git"))?.id).toBe(before[0].id);
    expect(after.find((m) => m.url.endsWith("a2.git"))?.id).not.toBe(before[1].id);
    await stack.ok(["preview", "--expect-no-changes"]);
  });

  step("a URL declared by a set and by a RemoteMirror of the same stack fails at preview, naming both", async () => {
    stack.write({
      "Pulumi.yaml": `${program()}  single:\n    type: gitlab-mirrors:index:RemoteMirror\n    properties:\n      project: sets/p-1\n      url: ${target("a1", "another")}\n`,
    });
    const preview = await stack.pulumi(["preview"]);
    expect(preview.code).not.toBe(0);
    // The engine checks the two in either order; the second one checked names the first.
    expect(preview.log).toMatch(
      /(?:url has the same target as a mirror ProjectMirrors "team-a"|mirrors\[0\]\.url has the same target as a mirror RemoteMirror "single") declares in project sets\/p-1/,
    );
    expect(preview.log).not.toContain("another");
    stack.write({ "Pulumi.yaml": program() });
  });

  step("a pulumi up killed midway is completed by the next up, with no duplicate and no orphan", async () => {
    stack.write({ "Pulumi.yaml": program(true) });
    // Slow creation down (four at a time, 1.5 s each) so the kill lands after some mirrors exist and well before all do.
    const faults = await fetch(`${gitlab.baseUrl}/-/emulator/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ routes: ["POST /projects/:id/remote_mirrors"], latencyMs: 1500 }),
    });
    expect(faults.status).toBe(200);
    const env = stack.cliEnv();
    const child = spawn(path.join(stack.binDir, "pulumi"), ["up", "--yes", "--skip-preview", "--non-interactive"], {
      cwd: stack.projectDir,
      env,
      detached: true,
      stdio: "ignore",
    });
    let created = 0;
    await killMidway(child, async () => (created = (await held(3)).length) >= 3, "3 mirrors of the set", { timeoutMs: 30_000 });
    expect(created).toBeGreaterThanOrEqual(3);
    expect(created).toBeLessThan(KILLED_COUNT);
    await fetch(`${gitlab.baseUrl}/-/emulator/faults`, { method: "DELETE" });

    await stack.ok(["cancel", "--yes"]);
    const rerun = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(rerun.stdout).toMatch(/took over mirror \d+/);
    const after = await held(3);
    expect(after.map((m) => m.url).sort()).toEqual(
      Array.from({ length: KILLED_COUNT }, (_, i) => `https://*****:*****@mirror.example.com/c${i}.git`).sort(),
    );
    const recorded = setsIn((await stack.exportState()).resources).get("team-c")?.outputs?.mirrors as Array<{ mirrorId: number }>;
    expect(recorded.map((m) => m.mirrorId).sort()).toEqual(after.map((m) => m.id).sort());
    await stack.ok(["preview", "--expect-no-changes"]);
  });

  step("import makes every mirror of a project an entry, then destroy deletes exactly the declared mirrors", async () => {
    for (const name of ["i1", "i2"]) await actor.api("POST", "/projects/4/remote_mirrors", { url: target(name, "imported-secret"), enabled: true });
    const imported = await stack.ok(["import", SET_TYPE, "team-d", "4", "--yes", "--protect=false", "--out", path.join(path.dirname(stack.projectDir), "imported.yaml")]);
    expect(imported.log).not.toContain("imported-secret");
    const set = setsIn((await stack.exportState()).resources).get("team-d");
    expect(set?.id).toBe("4");
    expect((set?.outputs?.mirrors as Array<{ target: string }>).map((m) => m.target)).toEqual([
      "https://mirror.example.com/i1.git",
      "https://mirror.example.com/i2.git",
    ]);
    await actor.api("POST", "/projects/1/remote_mirrors", { url: target("not-ours", "x"), enabled: false });
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect((await held(1)).map((m) => m.url)).toEqual(["https://*****:*****@mirror.example.com/not-ours.git"]);
    for (const project of [2, 3, 4]) expect(await held(project)).toEqual([]);
  });
});
