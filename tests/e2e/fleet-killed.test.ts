/**
 * `gitlab-mirrors fleet apply` killed with SIGKILL midway (its process group and every process it started),
 * then run again with --unlock: the fleet converges to exactly the inventory's mirrors, none duplicated, and
 * destroy leaves none. The kill lands midway: the emulator holds every create for 1.5 s and the kill comes
 * once 3 creates have arrived.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { killMidway } from "../support/process-tree";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";

jest.setTimeout(600_000);

const CLI = path.join(repoRoot, "dist", "cli", "main.js");
const TOKEN = "glpat-fleet-killed-token-3c9d";
const PROJECTS = ["ops/a", "ops/b", "web/a", "web/b"];
const PER_PROJECT = 3;
const CREATE_ROUTE = "POST /projects/:id/remote_mirrors";

const inventory = ["groups:"];
for (const group of ["ops", "web"]) {
  inventory.push(`  ${group}:`, "    projects:");
  for (const project of PROJECTS.filter((p) => p.startsWith(`${group}/`))) {
    inventory.push(`      ${project}:`, "        targets:");
    for (let i = 0; i < PER_PROJECT; i += 1) inventory.push(`          - url: https://backup.example.com/${project}/m${i}.git`);
  }
}


describe("gitlab-mirrors fleet apply killed midway", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let workDir: string;

  beforeAll(async () => {
    gitlab = await startEmulator({
      seed: { users: [{ username: "root", admin: true, tokens: [{ token: TOKEN, scopes: ["api"] }] }], projects: PROJECTS.map((p, i) => ({ id: i + 1, path: p })) },
    });
    actor = new GitLabActor(gitlab.baseUrl, TOKEN);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-fleet-killed-"));
    fs.mkdirSync(path.join(workDir, "home"));
    fs.writeFileSync(path.join(workDir, "inventory.yaml"), `${inventory.join("\n")}\n`);
  });

  afterAll(async () => {
    await gitlab?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    PATH: `${pulumiBinDirForTests()}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(workDir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "fleet-killed-passphrase",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_BACKEND_URL: "",
    GITLAB_BASE_URL: gitlab.baseUrl,
    GITLAB_TOKEN: TOKEN,
  });
  const args = (...extra: string[]) => [CLI, "fleet", ...extra, "--inventory", path.join(workDir, "inventory.yaml"), "--state-dir", path.join(workDir, "state")];

  function fleet(...extra: string[]): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, args(...extra), { cwd: workDir, env: env(), timeout: 400_000 }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout: `${stdout}\n${stderr}` });
      });
    });
  }

  async function mirrorUrls(): Promise<string[]> {
    const lists = await Promise.all(PROJECTS.map((_p, i) => actor.mirrors(i + 1)));
    return lists.flat().map((m) => m.url).sort();
  }

  test("apply again with --unlock converges to exactly the inventory's mirrors; destroy leaves none", async () => {
    await fetch(`${gitlab.baseUrl}/-/emulator/faults`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ routes: [CREATE_ROUTE], latencyMs: 1500 }),
    });
    await actor.resetCounters();
    const child: ChildProcess = spawn(process.execPath, args("apply"), { cwd: workDir, env: env(), detached: true, stdio: "ignore" });
    await killMidway(child, async () => ((await actor.counters()).routes[CREATE_ROUTE] ?? 0) >= 3, "3 creates", { timeoutMs: 180_000 });
    await fetch(`${gitlab.baseUrl}/-/emulator/faults`, { method: "DELETE" });
    await gitlab.idle();
    const partial = await mirrorUrls();
    expect(partial.length).toBeLessThan(PROJECTS.length * PER_PROJECT);

    // Without --unlock, the lock the killed run left (it was creating, so inside an up) stops that stack,
    // and its line says what to do.
    const locked = await fleet("apply");
    expect(locked.code).toBe(1);
    expect(locked.stdout).toMatch(/^FAIL {2}\w+: apply after .*currently locked.*run again with --unlock\)/m);

    const again = await fleet("apply", "--unlock");
    expect(again.code).toBe(0);
    const expected = PROJECTS.flatMap((p) => Array.from({ length: PER_PROJECT }, (_, i) => `https://backup.example.com/${p}/m${i}.git`)).sort();
    expect(await mirrorUrls()).toEqual(expected);
    // Nothing left to do.
    const plan = await fleet("plan");
    expect(plan.stdout).toMatch(/plan: 0 mirrors to add, 0 mirrors to delete/);

    expect((await fleet("destroy", "--max-deletes", String(expected.length))).code).toBe(0);
    expect(await mirrorUrls()).toEqual([]);
  });
});
