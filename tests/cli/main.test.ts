/** The `gitlab-mirrors` command's surface: help, version, exit statuses, as a user runs the compiled bin. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const bin = path.join(root, "dist", "cli", "main.js");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { bin: Record<string, string>; files: string[]; version: string };

function run(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, PATH: "/nonexistent" } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

beforeAll(() => {
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run 'npx tsc -b tsconfig.json'`);
});

describe("gitlab-mirrors (the package's bin)", () => {
  it("is the package's bin entry, shipped in files", () => {
    expect(pkg.bin["gitlab-mirrors"]).toBe("dist/cli/main.js");
    expect(pkg.files).toContain("dist/cli/");
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("--help lists the commands and exits 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gitlab-mirrors <command>/);
    expect(result.stdout).toContain("recover");
    expect(result.stdout).toContain("Exit status: 0 done, 1 failed, 2 bad usage");
  });

  it("no command prints the help on stderr and exits 2", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: gitlab-mirrors <command>");
  });

  it("--version prints the package's version", async () => {
    const result = await run(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it("an unknown command exits 2 and says so", async () => {
    const result = await run(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('gitlab-mirrors: unknown command "frobnicate"; run gitlab-mirrors --help\n');
  });

  it.each([["recover", "--help"], ["recover", "-h"], ["recover", "--yes", "--help"]])("%s %s prints the command's help and exits 0", async (...args) => {
    const result = await run(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: gitlab-mirrors recover \[--stack NAME\] \[--cwd DIR\] \[--yes\]/);
  });

  it("recover with an unknown option exits 2 with the option named, before running anything", async () => {
    const result = await run(["recover", "--token", "glpat-secret"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gitlab-mirrors recover: unknown option --token; run gitlab-mirrors recover --help\n");
  });

  it("a token pasted as a stray argument is never printed back", async () => {
    const result = await run(["recover", "glpat-pasted-by-mistake"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gitlab-mirrors recover: unexpected argument (this command takes options only); run gitlab-mirrors recover --help\n");
  });

  it("recover outside a Pulumi project exits 2 and names the directory", async () => {
    const result = await run(["recover", "--cwd", "/"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("gitlab-mirrors recover: / holds no Pulumi.yaml; run it in the Pulumi project's directory or give --cwd; run gitlab-mirrors recover --help\n");
  });

  it("recover exits 1 when pulumi cannot run (the work failed, the usage was right)", async () => {
    const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "glm-cli-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: yaml\n");
    try {
      const result = await run(["recover"], dir);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^gitlab-mirrors recover: exporting the state failed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
