/**
 * What the SDK tests share: the cached tools that scripts/setup-sdks.sh provides, and a stack
 * run by a program in another language (Python, Go) through that language's Automation API.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { ConfigEntry, StackResult } from "../e2e/support";

export const execFileAsync = promisify(execFile);
export const repoRoot = path.resolve(__dirname, "..", "..");

export interface SdkTools {
  /** The virtual environment's interpreter: `pulumi` and sdk/python's dependencies, not the SDK. */
  python: string;
  /** The SDK generator built from tools/sdkgen. */
  sdkgen: string;
}

/** Sets up (first run only) and locates the cached tools; the script's last stdout line names them. */
export async function sdkTools(...parts: Array<"python" | "sdkgen" | "go">): Promise<SdkTools> {
  const { stdout } = await execFileAsync("bash", [path.join(repoRoot, "scripts", "setup-sdks.sh"), ...parts], {
    cwd: repoRoot,
    timeout: 900_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as SdkTools;
}

/**
 * `pip install ./sdk/python` into a directory of its own (the cached environment provides its
 * dependencies), so every run tests the SDK as committed, never a copy installed earlier.
 */
export async function installPythonSdk(python: string): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-pysdk-"));
  // pip builds in the source tree (build/, *.egg-info): build from a copy, keep the checkout clean.
  const source = path.join(scratch, "source");
  fs.cpSync(path.join(repoRoot, "sdk", "python"), source, { recursive: true });
  const target = path.join(scratch, "site");
  await execFileAsync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
    "--no-build-isolation", "--no-cache-dir", "--target", target, source], { timeout: 180_000 });
  return target;
}

export type Operation = "up" | "preview" | "refresh" | "destroy" | "export";

/**
 * A stack whose program runs in another language. `command(operation, state)` gives the
 * executable and arguments of a driver that runs one operation and prints the result as one
 * JSON line (tests/e2e/python/stack_cli.py, tests/e2e/go). Same results as TestStack.
 */
export class ProgramStack {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-"));
  private readonly configFile = path.join(this.stateDir, "config.json");

  constructor(
    private readonly command: (operation: Operation, state: { stateDir: string; configFile: string }) => { file: string; args: string[]; env?: Record<string, string> },
    public config: Record<string, ConfigEntry>,
  ) {}

  async run(operation: Operation): Promise<StackResult> {
    fs.writeFileSync(this.configFile, JSON.stringify(this.config), { mode: 0o600 });
    const { file, args, env } = this.command(operation, { stateDir: this.stateDir, configFile: this.configFile });
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = stdout.trim().split("\n");
    const result = JSON.parse(lines[lines.length - 1]) as Omit<StackResult, "log">;
    return { ...result, log: `${stdout}\n${stderr}` };
  }

  /** Runs an operation that must succeed, failing the test with the engine's words otherwise. */
  async expectOk(operation: Operation): Promise<StackResult> {
    const result = await this.run(operation);
    if (!result.ok) throw new Error(`pulumi ${operation} failed: ${result.error}\n${result.log.slice(-4000)}`);
    return result;
  }

  /** The RemoteMirror's outputs as `pulumi stack export` shows them. */
  async mirrorState(): Promise<Record<string, unknown>> {
    const { deployment } = await this.expectOk("export");
    const resources = (deployment as { deployment: { resources: Array<{ type: string; outputs: Record<string, unknown> }> } })
      .deployment.resources;
    const mirror = resources.find((r) => r.type === "gitlab-mirrors:index:RemoteMirror");
    if (!mirror) throw new Error("no gitlab-mirrors:index:RemoteMirror in the state");
    return mirror.outputs;
  }

  dispose(): void {
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** The part of Pulumi's package schema these tests read. */
export interface PackageSchema {
  resources: Record<string, {
    inputProperties: Record<string, { description?: string }>;
    properties: Record<string, { description?: string }>;
  }>;
}

/**
 * The provider plugin's schema, as `make sdks` prints it, written to a file in `dir`
 * (run `npx tsc -p tsconfig.json` first: make test does).
 */
export async function printSchema(dir: string): Promise<{ file: string; schema: PackageSchema }> {
  const printer = path.join(repoRoot, "dist", "provider", "plugin", "print-schema.js");
  if (!fs.existsSync(printer)) throw new Error(`${printer} is missing: run 'npx tsc -p tsconfig.json' (make test does)`);
  const { stdout } = await execFileAsync(process.execPath, [printer], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const file = path.join(dir, "schema.json");
  fs.writeFileSync(file, stdout);
  return { file, schema: JSON.parse(stdout) as PackageSchema };
}

/** The RemoteMirror resource of the schema. */
export function remoteMirrorSchema(schema: PackageSchema): PackageSchema["resources"][string] {
  const resource = schema.resources["gitlab-mirrors:index:RemoteMirror"];
  if (!resource) throw new Error("the schema has no gitlab-mirrors:index:RemoteMirror");
  return resource;
}

/** Text with its runs of white space made single spaces: generators re-wrap descriptions. */
export function words(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
