import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import type { SdkStackResult } from "../../scripts/lib/sdk-stack";
import type { ConfigEntry } from "../../scripts/lib/stack";

const execFileAsync = promisify(execFile);
export const repoRoot = path.resolve(__dirname, "..", "..");
const stackCli = path.join(repoRoot, "dist", "scripts", "stack-cli.js");

export type { ConfigEntry } from "../../scripts/lib/stack";
/** What one operation of a test stack reports: the same shape for every language's driver. */
export type StackResult = SdkStackResult;

/** A stack of one program on a fresh local file backend, driven by the real pulumi CLI. */
export class TestStack {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-"));
  private readonly configFile = path.join(this.stateDir, "config.json");

  constructor(
    private readonly program: string,
    private readonly project: string,
    public config: Record<string, ConfigEntry>,
  ) {
    if (!fs.existsSync(stackCli)) throw new Error(`${stackCli} is missing: run 'npx tsc -p tsconfig.json' (make test does)`);
  }

  async run(operation: "up" | "preview" | "refresh" | "destroy" | "export"): Promise<StackResult> {
    fs.writeFileSync(this.configFile, JSON.stringify(this.config), { mode: 0o600 });
    const args = [stackCli, operation, "--program", this.program, "--project", this.project, "--stack", "e2e",
      "--state-dir", this.stateDir, "--config-file", this.configFile];
    const { stdout, stderr } = await execFileAsync(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, PULUMI_BIN_DIR: pulumiBinDirForTests() },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = stdout.trim().split("\n");
    const result = JSON.parse(lines[lines.length - 1]) as Omit<StackResult, "log">;
    return { ...result, log: `${stdout}\n${stderr}` };
  }

  /** Runs an operation that must succeed, failing the test with the engine's words otherwise. */
  async expectOk(operation: "up" | "preview" | "refresh" | "destroy" | "export"): Promise<StackResult> {
    const result = await this.run(operation);
    if (!result.ok) throw new Error(`pulumi ${operation} failed: ${result.error}\n${result.log.slice(-4000)}`);
    return result;
  }

  dispose(): void {
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** The CLI built by scripts/setup-pulumi.sh (make test exports PULUMI_BIN_DIR). Missing tools fail, never skip. */
export function pulumiBinDirForTests(): string {
  const dir = process.env.PULUMI_BIN_DIR;
  if (!dir || !fs.existsSync(path.join(dir, "pulumi"))) {
    throw new Error("PULUMI_BIN_DIR must point at a directory with the pulumi CLI: run the tests with 'make test'");
  }
  return dir;
}

/** A small JSON client for the emulator's API and controls, as an out-of-band actor would use them. */
export class GitLabActor {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}/api/v4${apiPath}`, {
      method,
      headers: { "PRIVATE-TOKEN": this.token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async mirrors(project: number): Promise<Array<{ id: number; enabled: boolean; url: string }>> {
    const { status, body } = await this.api("GET", `/projects/${project}/remote_mirrors`);
    if (status !== 200) throw new Error(`listing mirrors answered ${status}`);
    return body as Array<{ id: number; enabled: boolean; url: string }>;
  }

  async counters(): Promise<{ total: number; routes: Record<string, number> }> {
    const response = await fetch(`${this.baseUrl}/-/emulator/counters`);
    return (await response.json()) as { total: number; routes: Record<string, number> };
  }

  async resetCounters(): Promise<void> {
    await fetch(`${this.baseUrl}/-/emulator/counters`, { method: "DELETE" });
  }
}
