/**
 * The CLI contract: first stdout line is the base URL, tokens on stderr, --seed and --data-dir,
 * clean SIGTERM; and a store write killed with SIGKILL leaves a readable file. Both run the
 * emulator as a real child process, from a transpiled copy of emulator/ under .tmp/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import * as ts from "typescript";
import { call, tempDir, ROOT_TOKEN } from "./helpers";

const REPO = path.resolve(__dirname, "../..");
let outDir: string;
let work: string;
const children = new Set<ChildProcess>();

function transpileEmulator(): string {
  const out = fs.mkdtempSync(path.join(REPO, ".tmp", "emulator-cli-"));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        const js = ts.transpileModule(fs.readFileSync(full, "utf8"), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        const dest = path.join(out, path.relative(REPO, full)).replace(/\.ts$/, ".js");
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        fs.writeFileSync(dest, js);
      }
    }
  };
  walk(path.join(REPO, "emulator"));
  return out;
}

interface CliRun {
  child: ChildProcess;
  baseUrl: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

async function startCli(args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [path.join(outDir, "emulator", "cli.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += d.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => { children.delete(child); resolve(code); }));
  const lines = readline.createInterface({ input: child.stdout! });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    exit.then((code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  return { child, baseUrl, stderr: () => stderr, exit };
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
}

async function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(outDir, "emulator", "cli.js"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => { stdout += d.toString(); });
  child.stderr.on("data", (d) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  children.delete(child);
  return { code, stdout, stderr };
}

beforeAll(() => {
  fs.mkdirSync(path.join(REPO, ".tmp"), { recursive: true });
  outDir = transpileEmulator();
  work = tempDir("cli");
});
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe("gitlab-mirrors-emulator CLI", () => {
  it("prints the base URL first, the default tokens on stderr, serves the API and stops cleanly on SIGTERM", async () => {
    const dataDir = path.join(work, "data");
    const run = await startCli(["--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir]);
    expect(run.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const project = await call(`${run.baseUrl}/api/v4`, "GET", "/projects/demo%2Fapp", { token: ROOT_TOKEN });
    expect([project.status, project.body.id]).toEqual([200, 1]);
    expect(run.stderr()).toContain("glpat-emulator-root-token");
    const created = await call(`${run.baseUrl}/api/v4`, "POST", "/projects/1/remote_mirrors", { token: ROOT_TOKEN, json: { url: "https://m.example.com/cli.git" } });
    expect(created.status).toBe(201);
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);

    const again = await startCli(["--port", "0", "--data-dir", dataDir]);
    const list = await call(`${again.baseUrl}/api/v4`, "GET", "/projects/1/remote_mirrors", { token: ROOT_TOKEN });
    expect(list.body).toEqual([created.body]);
    again.child.kill("SIGTERM");
    expect(await again.exit).toBe(0);
  });

  it("uses a --seed file and lists its users, tokens, projects and targets on stderr (regression: only the default seed's were)", async () => {
    const seedFile = path.join(work, "seed.json");
    fs.writeFileSync(seedFile, JSON.stringify({
      users: [
        { username: "ops", admin: true, tokens: [{ token: "glpat-seeded-ops-token", scopes: ["api"] }] },
        { username: "dev", tokens: [{ token: "glpat-seeded-dev-token", scopes: ["read_api", "write_repository"], expiresAt: "2099-01-01" }] },
      ],
      projects: [{ id: 42, path: "group/app", visibility: "internal", members: {}, protectedBranches: ["main", "release/*"], defaultBranch: "main" }],
      targets: [{ path: "mirrors/app", username: "bot", password: "seeded-target-password" }],
    }));
    const run = await startCli(["--seed", seedFile]);
    const project = await call(`${run.baseUrl}/api/v4`, "GET", "/projects/group%2Fapp", { token: "glpat-seeded-ops-token" });
    expect([project.status, project.body.id]).toEqual([200, 42]);
    await waitFor(() => run.stderr().includes("  target:"));
    expect(run.stderr()).toBe([
      `GitLab emulator listening on ${run.baseUrl} (API ${run.baseUrl}/api/v4)`,
      "  user ops (admin): token glpat-seeded-ops-token (api)",
      "  user dev: token glpat-seeded-dev-token (read_api write_repository, expires 2099-01-01)",
      `  project group/app (id 42, internal): ${run.baseUrl}/group/app.git`,
      `  target: ${run.baseUrl}/-/targets/mirrors/app.git (user bot)`,
      "",
    ].join("\n"));
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
  });

  it("--help describes every option and exits 0", async () => {
    const result = await runToExit(["--help"]);
    expect(result.code).toBe(0);
    for (const option of ["--host ADDRESS", "--port N", "--seed FILE", "--data-dir DIR", "--public-host NAME", "-h, --help", "-v, --version"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${option.replace(/[-]/g, "\\-")}\\s+\\S`, "m"));
    }
  });

  it("--version prints the package version and exits 0", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
    expect(await runToExit(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it.each([
    [["--nope"], "gitlab-mirrors-emulator: unknown option --nope"],
    [["extra"], "gitlab-mirrors-emulator: unexpected argument extra"],
    [["--port", "http"], "gitlab-mirrors-emulator: --port must be a whole number from 0 to 65535, not http"],
    [["--port"], "gitlab-mirrors-emulator: Option '--port <value>' argument missing"],
  ])("refuses %j with exit code 2 and the usage", async (args, message) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(message);
    expect(result.stderr).toContain("usage: gitlab-mirrors-emulator [--host ADDRESS]");
  });

  it("refuses an invalid seed with every problem and exit code 2", async () => {
    const seedFile = path.join(work, "bad-seed.json");
    fs.writeFileSync(seedFile, JSON.stringify({ projects: [{ id: -1, path: "noslash" }], users: [{ username: "" }] }));
    const child = spawn(process.execPath, [path.join(outDir, "emulator", "cli.js"), "--seed", seedFile], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    children.delete(child);
    expect(code).toBe(2);
    expect(stderr).toContain("invalid emulator seed");
    expect(stderr).toContain("projects.0.id");
    expect(stderr).toContain("projects.0.path");
    expect(stderr).toContain("users.0.username");
  });
});

describe("store writes under SIGKILL", () => {
  it("leave a file that parses, whenever the writer dies", async () => {
    const file = path.join(work, "killed.json");
    const script = `
      const { writeFileAtomic } = require(${JSON.stringify(path.join(outDir, "emulator", "store.js"))});
      writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ i: -1 }));
      process.stdout.write("ready\\n");
      for (let i = 0; i < 100000; i += 1) writeFileAtomic(${JSON.stringify(file)}, JSON.stringify({ i, pad: "x".repeat(50000 + (i % 997)) }));
    `;
    for (let round = 0; round < 3; round += 1) {
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      children.add(child);
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 50 + round * 40));
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      children.delete(child);
      expect(typeof JSON.parse(fs.readFileSync(file, "utf8")).i).toBe("number");
    }
  });
});
