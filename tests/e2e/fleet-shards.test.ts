/**
 * scripts/fleet-shards.ts with the real pulumi CLI against the emulator: an inventory of two groups
 * becomes two stacks applied side by side, and editing the file adds and deletes exactly the mirrors
 * whose lines changed.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { RunningEmulator, startEmulator } from "../../emulator";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";

jest.setTimeout(300_000);

const execFileAsync = promisify(execFile);
const RUNNER = path.join(repoRoot, "dist", "scripts", "fleet-shards.js");
const ROOT_TOKEN = "glpat-fleet-shards-e2e-token";
const TARGET_PASSWORD = "fleet-shards-e2e-target-password";
const PROJECTS = ["ops/a", "ops/b", "web/a", "web/b"];

/** The inventory, one target line per entry of `targets` (project -> target repository names). */
function inventoryYaml(targets: Record<string, string[]>, extraGroups = ""): string {
  const groups: Record<string, string[]> = {};
  for (const project of Object.keys(targets)) (groups[project.split("/")[0]] ??= []).push(project);
  const lines = ["defaults:", "  credentials: backup-bot", "  keepDivergentRefs: false", "groups:"];
  for (const [group, projects] of Object.entries(groups)) {
    lines.push(`  ${group}:`, "    projects:");
    for (const project of projects) {
      lines.push(`      ${project}:`, "        targets:");
      for (const repo of targets[project]) lines.push(`          - url: https://backup.example.com/${project}/${repo}.git`);
    }
  }
  return `${lines.join("\n")}\n${extraGroups}`;
}

interface RunnerResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe("scripts/fleet-shards.ts: an inventory applied as one stack per group", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let workDir: string;
  let stateDir: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    gitlab = await startEmulator({
      seed: {
        users: [{ username: "root", admin: true, tokens: [{ token: ROOT_TOKEN, scopes: ["api"] }] }],
        projects: PROJECTS.map((p, i) => ({ id: i + 1, path: p })),
      },
    });
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-shards-"));
    stateDir = path.join(workDir, "state");
    fs.writeFileSync(
      path.join(workDir, "credentials.json"),
      JSON.stringify({ "backup-bot": { username: "backup-bot", password: TARGET_PASSWORD } }),
      { mode: 0o600 },
    );
  });

  afterAll(async () => {
    await gitlab?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function runShards(operation: string, inventory: string, state = stateDir): Promise<RunnerResult> {
    const file = path.join(workDir, "inventory.yaml");
    fs.writeFileSync(file, inventory);
    const args = [RUNNER, operation, "--inventory", file, "--gitlab-url", gitlab.baseUrl, "--credentials", path.join(workDir, "credentials.json"),
      "--state-dir", state, "--parallel-stacks", "2"];
    const env = { ...process.env, PULUMI_BIN_DIR: pulumiBinDirForTests(), GITLAB_TOKEN: ROOT_TOKEN };
    try {
      const { stdout, stderr } = await execFileAsync(process.execPath, args, { cwd: repoRoot, env, timeout: 240_000 });
      outputs.push(stdout, stderr);
      return { code: 0, stdout, stderr };
    } catch (err) {
      const { code, stdout, stderr } = err as { code: unknown; stdout: string; stderr: string };
      outputs.push(stdout, stderr);
      if (typeof code !== "number") throw err;
      return { code, stdout, stderr };
    }
  }

  async function expectOk(operation: string, inventory: string): Promise<string> {
    const result = await runShards(operation, inventory);
    if (result.code !== 0) throw new Error(`fleet-shards ${operation} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  /** Each project's mirrors, as GitLab lists them: id and credential-free URL. */
  async function mirrorsByProject(): Promise<Record<string, Array<{ id: number; url: string }>>> {
    const entries = await Promise.all(
      PROJECTS.map(async (project, i) => {
        const mirrors = await actor.mirrors(i + 1);
        return [project, mirrors.map((m) => ({ id: m.id, url: m.url.replace(/\/\/[^@/]*@/, "//") })).sort((a, b) => a.url.localeCompare(b.url))] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  const urlsOf = (mirrors: Record<string, Array<{ url: string }>>) =>
    Object.fromEntries(Object.entries(mirrors).map(([project, list]) => [project, list.map((m) => m.url)]));
  const url = (project: string, repo: string) => `https://backup.example.com/${project}/${repo}.git`;

  const START = { "ops/a": ["one", "two"], "ops/b": ["one", "two"], "web/a": ["one", "two"], "web/b": ["one", "two"] };
  let before: Record<string, Array<{ id: number; url: string }>>;

  it("up creates exactly the inventory's mirrors, one stack per group, with a line per stack start and end", async () => {
    const stdout = await expectOk("up", inventoryYaml(START));
    before = await mirrorsByProject();
    expect(urlsOf(before)).toEqual(
      Object.fromEntries(PROJECTS.map((p) => [p, [url(p, "one"), url(p, "two")]])),
    );
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^\[shards\] up 8 mirrors in 2 stacks, 2 at a time; state in /);
    for (const group of ["ops", "web"]) {
      expect(lines).toContain(`[shards] start ${group}: up of 4 mirrors (${group === "ops" ? 1 : 2} running)`);
      expect(lines.some((l) => new RegExp(`^\\[shards\\] done  ${group}: up in \\d+\\.\\d s, create 4$`).test(l))).toBe(true);
    }
    expect(lines[lines.length - 1]).toMatch(/^\[shards\] all 2 stacks in \d+\.\d s: create 8$/);
  });

  it("gives each stack its own settings directory (regression: stacks sharing one failed with 'could not validate Pulumi.yaml')", () => {
    // Opening a stack rewrites its workspace's Pulumi.yaml; a stack running beside it in the same
    // directory read it half-written and failed its destroy.
    for (const group of ["ops", "web"]) {
      const dir = path.join(stateDir, "workspaces", group);
      expect(fs.readdirSync(dir).sort()).toEqual([`Pulumi.${group}.yaml`, "Pulumi.yaml"]);
    }
  });

  it("removing a target line deletes exactly that mirror; the others keep their ids", async () => {
    const stdout = await expectOk("up", inventoryYaml({ ...START, "ops/a": ["one"] }));
    expect(await mirrorsByProject()).toEqual({ ...before, "ops/a": before["ops/a"].filter((m) => m.url === url("ops/a", "one")) });
    expect(stdout).toMatch(/done {2}ops: up in \d+\.\d s, delete 1, same 3\n/);
    expect(stdout).toMatch(/done {2}web: up in \d+\.\d s, same 4\n/);
  });

  it("adding a target line adds exactly that mirror", async () => {
    await expectOk("up", inventoryYaml({ ...START, "ops/a": ["one"], "web/b": ["one", "two", "three"] }));
    const after = await mirrorsByProject();
    expect(after["web/b"].filter((m) => !before["web/b"].some((b) => b.id === m.id)).map((m) => m.url)).toEqual([url("web/b", "three")]);
    expect({ ...after, "web/b": before["web/b"] }).toEqual({ ...before, "ops/a": before["ops/a"].filter((m) => m.url === url("ops/a", "one")) });
  });

  it("a bad inventory fails before any request, every problem listed with its path", async () => {
    await actor.resetCounters();
    const bad = inventoryYaml({ "ops/a": ["one", "one"] }).replace("keepDivergentRefs: false", "keepDivergentRefs: maybe") +
      "  web:\n    projects:\n      web/a:\n        targets:\n          - url: https://bot:" + TARGET_PASSWORD + "@backup.example.com/web/a.git\n";
    const result = await runShards("up", bad, path.join(workDir, "untouched"));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n").slice(1)).toEqual(["  defaults.keepDivergentRefs: Invalid input: expected boolean, received string"]);
    const rules = await runShards("up", bad.replace("keepDivergentRefs: maybe", "keepDivergentRefs: false"), path.join(workDir, "untouched"));
    expect(rules.code).toBe(2);
    expect(rules.stderr).toContain('groups.ops.projects["ops/a"].targets[1].url: repeats targets[0]; GitLab rejects the same URL twice in a project');
    expect(rules.stderr).toContain('groups.web.projects["web/a"].targets[0].url: holds a password;');
    expect((await actor.counters()).total).toBe(0);
    expect(fs.existsSync(path.join(workDir, "untouched"))).toBe(false);
  });

  it("a failing stack is named and fails the run; the other stacks still apply, and a group that left the inventory is destroyed", async () => {
    // web leaves the inventory; ghost names a project GitLab does not have.
    const ghost = "  ghost:\n    projects:\n      ghost/none:\n        targets:\n          - url: https://backup.example.com/ghost.git\n";
    const result = await runShards("up", inventoryYaml({ "ops/a": ["one"], "ops/b": ["one", "two"] }, ghost));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/\[shards\] start web: retire \(no longer in the inventory\)/);
    expect(result.stdout).toMatch(/done {2}web: retire in \d+\.\d s, delete 5\n/);
    expect(result.stdout).toMatch(/FAIL {2}ghost: up after \d+\.\d s: .*ghost\/none/);
    expect(result.stdout.trim().split("\n").pop()).toBe("[shards] failed stacks: ghost");
    const after = await mirrorsByProject();
    expect(after["web/a"]).toEqual([]);
    expect(after["web/b"]).toEqual([]);
    expect(after["ops/b"]).toEqual(before["ops/b"]);
  });

  it("destroy deletes every mirror of every stack, and no output ever showed a password or the token", async () => {
    const stdout = await expectOk("destroy", inventoryYaml({ "ops/a": ["one"], "ops/b": ["one", "two"] }));
    expect(stdout).toMatch(/done {2}ops: destroy in \d+\.\d s, delete 3\n/);
    expect(Object.values(await mirrorsByProject()).flat()).toEqual([]);
    for (const text of outputs) {
      expect(text).not.toContain(TARGET_PASSWORD);
      expect(text).not.toContain(ROOT_TOKEN);
    }
  });
});
