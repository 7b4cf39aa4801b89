/**
 * `gitlab-mirrors fleet` with the real pulumi CLI and the provider plugin against the emulator: an inventory
 * of two groups becomes two stacks of ProjectMirrors; the plan names every mirror a change deletes (a group
 * gone from the inventory included); apply refuses more deletions than --max-deletes allows, before changing
 * anything; destroy leaves none.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";
import { scenario } from "../support/scenario";

jest.setTimeout(600_000);

const CLI = path.join(repoRoot, "dist", "cli", "main.js");
const ROOT_TOKEN = "glpat-fleet-e2e-token-7f3a";
const TARGET_PASSWORD = "fleet-e2e-target-password";
const PROJECTS = ["ops/a", "ops/b", "web/a", "web/b"];
const url = (project: string, repo: string) => `https://backup.example.com/${project}/${repo}.git`;

function inventoryYaml(targets: Record<string, string[]>): string {
  const groups: Record<string, string[]> = {};
  for (const project of Object.keys(targets)) (groups[project.split("/")[0]] ??= []).push(project);
  const lines = ["defaults:", "  credentials: backup-bot", "groups:"];
  for (const [group, projects] of Object.entries(groups)) {
    lines.push(`  ${group}:`, "    projects:");
    for (const project of projects) {
      lines.push(`      ${project}:`, "        targets:");
      for (const repo of targets[project]) lines.push(`          - url: ${url(project, repo)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe("gitlab-mirrors fleet: an inventory as one ProjectMirrors stack per group", () => {
  // Each test builds on the ones before it: a step run alone first runs those.
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let workDir: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    gitlab = await startEmulator({
      seed: {
        users: [{ username: "root", admin: true, tokens: [{ token: ROOT_TOKEN, scopes: ["api"] }] }],
        projects: PROJECTS.map((p, i) => ({ id: i + 1, path: p })),
      },
    });
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-fleet-"));
    fs.mkdirSync(path.join(workDir, "home"));
    fs.writeFileSync(path.join(workDir, "credentials.json"), JSON.stringify({ "backup-bot": { username: "backup-bot", password: TARGET_PASSWORD } }), { mode: 0o600 });
  });

  afterAll(async () => {
    // No output of any run holds a secret.
    for (const text of outputs) for (const secret of [ROOT_TOKEN, TARGET_PASSWORD]) expect(text).not.toContain(secret);
    await gitlab?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  function fleet(args: string[], inventory: string, env: Record<string, string> = {}): Promise<Run> {
    const file = path.join(workDir, "inventory.yaml");
    fs.writeFileSync(file, inventory);
    const full = [CLI, "fleet", ...args, "--inventory", file, "--credentials", path.join(workDir, "credentials.json"), "--state-dir", path.join(workDir, "state"), "--parallel-stacks", "2"];
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        full,
        {
          cwd: workDir,
          timeout: 400_000,
          env: {
            ...process.env,
            PATH: `${pulumiBinDirForTests()}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(workDir, "home"),
            PULUMI_CONFIG_PASSPHRASE: "fleet-e2e-passphrase",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_BACKEND_URL: "",
            GITLAB_BASE_URL: gitlab.baseUrl,
            GITLAB_TOKEN: ROOT_TOKEN,
            ...env,
          },
        },
        (error, stdout, stderr) => {
          outputs.push(stdout, stderr);
          resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
        },
      );
    });
  }

  async function ok(args: string[], inventory: string): Promise<string> {
    const run = await fleet(args, inventory);
    if (run.code !== 0) throw new Error(`fleet ${args.join(" ")} exited ${run.code}:\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
  }

  async function urlsByProject(): Promise<Record<string, string[]>> {
    const entries = await Promise.all(
      PROJECTS.map(async (project, i) => [project, (await actor.mirrors(i + 1)).map((m) => m.url.replace(/\/\/[^@/]*@/, "//")).sort()] as const),
    );
    return Object.fromEntries(entries);
  }

  const START = { "ops/a": ["one", "two"], "ops/b": ["one"], "web/a": ["one"], "web/b": ["one", "two"] };

  step("plan of a new fleet: every mirror to add, per stack, nothing to delete, GitLab untouched", async () => {
    const stdout = await ok(["plan"], inventoryYaml(START));
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^fleet plan: 6 mirrors in 2 groups; 2 stack\(s\) at a time; state in /);
    expect(lines).toContain("start ops: plan (3 mirrors)");
    expect(lines.some((l) => /^done  ops: plan in \d+\.\d s: \+3 -0 mirrors, 0 kept; engine: create 2$/.test(l))).toBe(true);
    expect(lines).toContain(`  add    web: web/b ${url("web/b", "two")}`);
    expect(lines[lines.length - 1]).toMatch(/^plan: 6 mirrors to add, 0 mirrors to delete, in 2 stacks, \d+\.\d s; apply with --max-deletes 0$/);
    expect(await urlsByProject()).toEqual({ "ops/a": [], "ops/b": [], "web/a": [], "web/b": [] });
  });

  step("apply creates exactly the inventory's mirrors, with a line per stack at start and end", async () => {
    const stdout = await ok(["apply"], inventoryYaml(START));
    expect(await urlsByProject()).toEqual(Object.fromEntries(Object.entries(START).map(([p, repos]) => [p, repos.map((r) => url(p, r)).sort()])));
    expect(stdout).toMatch(/^start ops: apply: \+3 -0 mirrors \(\d running\)$/m);
    expect(stdout).toMatch(/^done  web: apply in \d+\.\d s: \+3 -0 mirrors; engine: create 2$/m);
    expect(stdout.trim().split("\n").pop()).toMatch(/^fleet apply: 2 stacks done in \d+\.\d s$/);
  });

  step("a setting changed: the plan names the set and the property the engine will update, and deletes nothing", async () => {
    const changed = inventoryYaml(START).replace(`          - url: ${url("ops/a", "two")}\n`, `          - url: ${url("ops/a", "two")}\n            enabled: false\n`);
    const stdout = await ok(["plan"], changed);
    expect(stdout).toMatch(/^  update ops: ops\/a \(mirrors.*\)$/m);
    expect(stdout).toMatch(/^done  ops: plan in \d+\.\d s: \+0 -0 mirrors, 3 kept; engine: same 1, update 1$/m);
    expect(stdout).toMatch(/^plan: 0 mirrors to add, 0 mirrors to delete, in 2 stacks/m);
  });

  step("a group gone and a line removed: plan names every mirror deleted; apply refuses beyond --max-deletes, then applies", async () => {
    const next = inventoryYaml({ "ops/a": ["one"], "ops/b": ["one"] });
    const plan = await fleet(["plan", "--json"], next);
    expect(plan.code).toBe(0);
    const json = JSON.parse(plan.stdout) as { stacks: Array<{ group: string; action: string; deletes: Array<{ project: string; target: string }> }>; totals: Record<string, number> };
    expect(json.totals).toMatchObject({ adds: 0, deletes: 4, retiring: 1, failed: 0 });
    expect(json.stacks.find((s) => s.group === "web")).toMatchObject({ action: "retire" });
    expect(json.stacks.flatMap((s) => s.deletes.map((d) => d.target)).sort()).toEqual([url("ops/a", "two"), url("web/a", "one"), url("web/b", "one"), url("web/b", "two")].sort());
    expect(plan.stderr).toMatch(/^  delete web: web\/b mirror \d+ \(https:\/\/backup\.example\.com\/web\/b\/two\.git\)$/m);

    const before = await urlsByProject();
    const refused = await fleet(["apply", "--max-deletes", "3"], next);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/fleet apply: refused: it would delete 4 mirrors, more than --max-deletes 3 allows; nothing changed\. If these deletions are meant, run again with --max-deletes 4$/m);
    expect(refused.stdout).toContain(`  would delete ops: ops/a mirror`);
    expect(await urlsByProject()).toEqual(before);

    await ok(["apply", "--max-deletes", "4"], next);
    expect(await urlsByProject()).toEqual({ "ops/a": [url("ops/a", "one")], "ops/b": [url("ops/b", "one")], "web/a": [], "web/b": [] });
  });

  step("a wrong token: each stack's failure is said once, naming GITLAB_TOKEN", async () => {
    const run = await fleet(["apply", "--max-deletes", "0"], inventoryYaml({ "ops/a": ["one", "three"], "ops/b": ["one", "two"] }), { GITLAB_TOKEN: "glpat-wrong-token-0000" });
    expect(run.code).toBe(1);
    const fail = run.stdout.split("\n").filter((l) => l.startsWith("FAIL  ops:"));
    expect(fail).toHaveLength(1);
    expect(fail[0]).toContain("401");
    expect(fail[0]).toContain("GITLAB_TOKEN");
    expect(fail[0]).not.toContain("pulumi config set");
    expect(run.stdout).not.toContain("glpat-wrong-token-0000");
  });

  step("destroy deletes every mirror of the fleet (within --max-deletes)", async () => {
    const inventory = inventoryYaml({ "ops/a": ["one"], "ops/b": ["one"] });
    expect((await fleet(["destroy"], inventory)).code).toBe(1);
    await ok(["destroy", "--max-deletes", "2"], inventory);
    expect(await urlsByProject()).toEqual({ "ops/a": [], "ops/b": [], "web/a": [], "web/b": [] });
  });
});
