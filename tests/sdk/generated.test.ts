/**
 * The committed SDKs (sdk/python, sdk/go, sdk/nodejs/plugin) are exactly what tools/sdkgen writes from the provider
 * plugin's schema: regenerated into a temporary directory, the two trees are compared file by file.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileAsync, printSchema, repoRoot } from "./support";

jest.setTimeout(900_000);

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The files of the checkout under `dir` that git tracks or would track (not ignored build by-products). */
function checkoutFilesUnder(dir: string): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", dir], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return listed.split("\0").filter((file) => file && fs.existsSync(path.join(repoRoot, file)))
    .map((file) => path.relative(dir, file)).sort();
}

describe("the committed SDKs", () => {
  let scratch: string;
  let generated: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-sdkgen-"));
    const { file } = await printSchema(scratch);
    generated = path.join(scratch, "sdk");
    await execFileAsync("bash", [path.join(repoRoot, "scripts", "generate-sdks.sh"), file, generated], {
      cwd: repoRoot,
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  });

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test.each(["python", "go", "nodejs/plugin"])("sdk/%s is what the schema generates (run 'make sdks' when this fails)", (language) => {
    const fresh = path.join(generated, language);
    const committed = path.join("sdk", language);
    expect(checkoutFilesUnder(committed)).toEqual(filesUnder(fresh));
    const differing = filesUnder(fresh).filter(
      (file) => !fs.readFileSync(path.join(fresh, file)).equals(fs.readFileSync(path.join(repoRoot, committed, file))),
    );
    expect(differing).toEqual([]);
  });
});
