/**
 * examples/gitops/.gitlab-ci.yml: its job scripts run as written (the `script` lines, in one bash per job, with
 * the file's variables and the CI/CD variables it documents), against the emulator, as three pipelines would:
 * a merge request (plan only, kept as an artifact), the default branch (plan, then apply with the plan's delete
 * count), and a later merge that removes a group (its mirrors deleted, no more).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { RunningEmulator, startEmulator } from "../../emulator";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";
import { scenario } from "../support/scenario";

jest.setTimeout(600_000);

const EXAMPLE = path.join(repoRoot, "examples", "gitops");
const TOKEN = "glpat-gitops-e2e-token-91b2";
const TARGET_PASSWORD = "gitops-e2e-target-password";
const PROJECTS = ["platform/api", "platform/web", "data/pipelines"];

interface Job {
  stage: string;
  rules?: Array<{ if: string }>;
  needs?: string[];
  script: string[];
  artifacts?: { paths: string[] };
}

const ci = parse(fs.readFileSync(path.join(EXAMPLE, ".gitlab-ci.yml"), "utf8")) as { variables: Record<string, string>; plan: Job; apply: Job };

describe("examples/gitops/.gitlab-ci.yml, its jobs run as written", () => {
  // Each test builds on the ones before it: a step run alone first runs those.
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let root: string;
  let binDir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    gitlab = await startEmulator({
      seed: { users: [{ username: "root", admin: true, tokens: [{ token: TOKEN, scopes: ["api"] }] }], projects: PROJECTS.map((p, i) => ({ id: i + 1, path: p })) },
    });
    actor = new GitLabActor(gitlab.baseUrl, TOKEN);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-gitops-"));
    for (const dir of ["backend", "home", "bin"]) fs.mkdirSync(path.join(root, dir));
    // What the job's before_script installs: the package's command.
    binDir = path.join(root, "bin");
    fs.writeFileSync(path.join(binDir, "gitlab-mirrors"), `#!/bin/sh\nexec "${process.execPath}" "${path.join(repoRoot, "dist", "cli", "main.js")}" "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(root, "credentials.json"), JSON.stringify({ "backup-bot": { username: "backup-bot", password: TARGET_PASSWORD } }), { mode: 0o600 });
  });

  afterAll(async () => {
    for (const text of logs) for (const secret of [TOKEN, TARGET_PASSWORD]) expect(text).not.toContain(secret);
    await gitlab?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** A fresh checkout of the repository at this inventory, as a job gets it, with the artifacts it needs. */
  function checkout(inventory: string, artifacts: Record<string, string> = {}): string {
    const dir = fs.mkdtempSync(path.join(root, "job-"));
    fs.writeFileSync(path.join(dir, "inventory.yaml"), inventory);
    for (const [name, text] of Object.entries(artifacts)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  function runJob(job: Job, dir: string): Promise<{ code: number; output: string }> {
    const ciVariables = { CI_SERVER_URL: gitlab.baseUrl, CI_DEFAULT_BRANCH: "main" };
    const fileVariables = Object.fromEntries(Object.entries(ci.variables).map(([k, v]) => [k, v.replace(/\$\{(\w+)\}/g, (_m, name: string) => (ciVariables as Record<string, string>)[name] ?? "")]));
    const env = {
      PATH: `${binDir}${path.delimiter}${pulumiBinDirForTests()}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: path.join(root, "home"),
      PULUMI_HOME: path.join(root, "home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      ...ciVariables,
      ...fileVariables,
      // The CI/CD variables the file documents.
      GITLAB_TOKEN: TOKEN,
      FLEET_CREDENTIALS: path.join(root, "credentials.json"),
      PULUMI_CONFIG_PASSPHRASE: "gitops-e2e-passphrase",
      PULUMI_BACKEND_URL: `file://${path.join(root, "backend")}`,
    };
    return new Promise((resolve) => {
      execFile("bash", ["-e", "-o", "pipefail", "-c", job.script.join("\n")], { cwd: dir, env, timeout: 400_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const output = `${stdout}\n${stderr}`;
        logs.push(output);
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, output });
      });
    });
  }

  async function pipeline(inventory: string, branch: "merge_request" | "main"): Promise<{ plan: { totals: Record<string, number> }; planText: string; applied?: string }> {
    const planDir = checkout(inventory);
    const plan = await runJob(ci.plan, planDir);
    if (plan.code !== 0) throw new Error(`plan job failed:\n${plan.output}`);
    for (const artifact of ci.plan.artifacts!.paths) expect(fs.existsSync(path.join(planDir, artifact))).toBe(true);
    const planJson = fs.readFileSync(path.join(planDir, "plan.json"), "utf8");
    const planText = fs.readFileSync(path.join(planDir, "plan.txt"), "utf8");
    if (branch === "merge_request") return { plan: JSON.parse(planJson), planText };
    const apply = await runJob(ci.apply, checkout(inventory, { "plan.json": planJson, "plan.txt": planText }));
    if (apply.code !== 0) throw new Error(`apply job failed:\n${apply.output}`);
    return { plan: JSON.parse(planJson), planText, applied: apply.output };
  }

  async function mirrorCounts(): Promise<number[]> {
    return Promise.all(PROJECTS.map(async (_p, i) => (await actor.mirrors(i + 1)).length));
  }

  test("the plan runs on merge requests and the default branch, apply only on the default branch, after the plan", () => {
    expect(ci.plan.rules!.map((r) => r.if)).toEqual(['$CI_PIPELINE_SOURCE == "merge_request_event"', "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]);
    expect(ci.apply.rules!.map((r) => r.if)).toEqual(["$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"]);
    expect(ci.apply.needs).toEqual(["plan"]);
  });

  step("a merge request plans (artifact kept) and changes nothing; the merge applies exactly the plan", async () => {
    const inventory = fs.readFileSync(path.join(EXAMPLE, "inventory.yaml"), "utf8");
    const mr = await pipeline(inventory, "merge_request");
    expect(mr.plan.totals).toMatchObject({ adds: 3, deletes: 0, failed: 0 });
    expect(mr.planText).toContain("plan: 3 mirrors to add, 0 mirrors to delete");
    expect(await mirrorCounts()).toEqual([0, 0, 0]);

    const merged = await pipeline(inventory, "main");
    expect(merged.applied).toContain("the plan deletes 0 mirror(s); apply may delete no more");
    expect(await mirrorCounts()).toEqual([1, 1, 1]);
  });

  step("a merge that removes a group deletes its mirrors, allowed by the count its plan showed", async () => {
    const inventory = fs.readFileSync(path.join(EXAMPLE, "inventory.yaml"), "utf8").replace(/  data:\n[\s\S]*$/, "");
    const mr = await pipeline(inventory, "merge_request");
    expect(mr.plan.totals).toMatchObject({ adds: 0, deletes: 1, retiring: 1 });
    expect(mr.planText).toMatch(/  delete data: data\/pipelines mirror \d+ \(https:\/\/backup\.example\.com\/data\/pipelines\.git\)/);
    const merged = await pipeline(inventory, "main");
    expect(merged.applied).toContain("the plan deletes 1 mirror(s); apply may delete no more");
    expect(await mirrorCounts()).toEqual([1, 1, 0]);
  });
});
