/**
 * The version's one source: set-version writes it into package.json and package-lock.json (both of the
 * lock's copies) and nowhere else, and make dist refuses anything that is not a semantic version before
 * it builds or removes anything.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./support";

const execFileAsync = promisify(execFile);

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-version-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("set-version writes the version into package.json and both fields of package-lock.json, keeping the rest", async () => {
  const manifest = { name: "gitlab-mirrors", version: "0.1.0", license: "Apache-2.0", dependencies: { zod: "^4.0.0" } };
  const lock = {
    name: "gitlab-mirrors",
    version: "0.1.0",
    lockfileVersion: 3,
    packages: { "": { name: "gitlab-mirrors", version: "0.1.0" }, "node_modules/zod": { version: "4.6.7" } },
  };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(lock, null, 2));

  await execFileAsync("node", [path.join(repoRoot, "dist", "scripts", "release", "set-version.js"), dir, "2.3.4-rc.1"]);

  expect(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))).toEqual({ ...manifest, version: "2.3.4-rc.1" });
  expect(JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"))).toEqual({
    ...lock,
    version: "2.3.4-rc.1",
    packages: { "": { name: "gitlab-mirrors", version: "2.3.4-rc.1" }, "node_modules/zod": { version: "4.6.7" } },
  });
});

test.each(["", "1.2", "v1.2.3", "1.2.3.4", "01.2.3", "1.2.3-"])("make dist refuses the version %j, naming VERSION", async (version) => {
  const result = await execFileAsync("bash", [path.join(repoRoot, "scripts", "dist.sh"), version], { cwd: repoRoot }).then(
    () => ({ code: 0, stderr: "" }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  );
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain("VERSION must be a semantic version");
  expect(fs.existsSync(path.join(repoRoot, "release", version || "none"))).toBe(false);
});
