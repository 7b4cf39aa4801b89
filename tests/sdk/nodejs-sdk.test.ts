/**
 * The Node.js SDK (sdk/nodejs/plugin) asks the engine for the plugin at the schema's version, and from
 * the schema's pluginDownloadURL when the schema has one (the release sets both): generated from a
 * schema with both, its resource option defaults name them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { execFileAsync, printSchema, repoRoot } from "./support";

jest.setTimeout(900_000);

const VERSION = "2.3.4";
// `${VERSION}` is for the engine to fill in (Pulumi expands it in a download URL), not a template here.
const DOWNLOAD_URL = "https://releases.example.com/gitlab-mirrors/v${VERSION}/";

/** Each .ts file under `dir` compiled to a .js beside it (CommonJS), as the package's build would. */
function transpileTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.writeFileSync(file.replace(/\.ts$/, ".js"), outputText);
  }
}

type Utilities = { getVersion(): string; resourceOptsDefaults(): Record<string, unknown> };

describe("the generated Node.js SDK", () => {
  let scratch: string;

  beforeAll(() => {
    // Under the checkout, so that the generated code resolves @pulumi/pulumi from node_modules.
    fs.mkdirSync(path.join(repoRoot, ".tmp"), { recursive: true });
    scratch = fs.mkdtempSync(path.join(repoRoot, ".tmp", "nodejs-sdk-"));
  });

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("asks for the package's own version, from the schema's download server (the committed SDK)", async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    const { file } = await printSchema(scratch);
    const { pluginDownloadURL } = JSON.parse(fs.readFileSync(file, "utf8")) as { pluginDownloadURL?: string };
    const utilities = require(path.join(repoRoot, "dist", "sdk", "nodejs", "plugin", "utilities")) as Utilities;
    expect(utilities.resourceOptsDefaults()).toEqual({ version: pkg.version, ...(pluginDownloadURL ? { pluginDownloadURL } : {}) });
  });

  test("asks for the schema's version from the schema's pluginDownloadURL when the schema has them", async () => {
    const { file } = await printSchema(scratch);
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...schema, version: VERSION, pluginDownloadURL: DOWNLOAD_URL }));
    const out = path.join(scratch, "sdk");
    await execFileAsync("bash", [path.join(repoRoot, "scripts", "generate-sdks.sh"), file, out], {
      cwd: repoRoot,
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const plugin = path.join(out, "nodejs", "plugin");
    transpileTree(plugin);
    const utilities = require(path.join(plugin, "utilities.js")) as Utilities;
    expect(utilities.resourceOptsDefaults()).toEqual({ version: VERSION, pluginDownloadURL: DOWNLOAD_URL });
  });
});
