/**
 * The release workflow cannot run here; actionlint (built by scripts/setup-actionlint.sh) checks its
 * format, expressions and action inputs, and the workflow is checked to build with `make dist` and
 * publish what it builds.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./support";

const execFileAsync = promisify(execFile);
const WORKFLOW = path.join(repoRoot, ".github", "workflows", "release.yml");

let actionlint = "";

beforeAll(async () => {
  const { stdout } = await execFileAsync("bash", [path.join(repoRoot, "scripts", "setup-actionlint.sh")], { timeout: 600_000 });
  actionlint = stdout.trim().split("\n").pop()!;
}, 600_000);

async function lint(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(actionlint, ["-no-color", file], { cwd: repoRoot });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failure = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === "number" ? failure.code : 1, output: `${failure.stdout ?? ""}${failure.stderr ?? ""}` };
  }
}

describe(".github/workflows/release.yml", () => {
  test("passes actionlint", async () => {
    expect(await lint(WORKFLOW)).toEqual({ code: 0, output: "" });
  });

  test("actionlint does fail a broken copy of it (the check above can fail)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-workflow-"));
    try {
      const broken = path.join(dir, "release.yml");
      fs.writeFileSync(broken, fs.readFileSync(WORKFLOW, "utf8").replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    timeout-minutes: soon"));
      const result = await lint(broken);
      expect(result.code).not.toBe(0);
      expect(result.output).toContain("timeout-minutes");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("runs on a version tag, builds with make dist and publishes release/<version>/", () => {
    const text = fs.readFileSync(WORKFLOW, "utf8");
    expect(text).toMatch(/tags: \["v\[0-9\]/);
    expect(text).toContain('make dist VERSION="$VERSION"');
    expect(text).toMatch(/gh release create "\$GITHUB_REF_NAME" "release\/\$VERSION"\/\*/);
  });
});
