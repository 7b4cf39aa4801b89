/**
 * A stack driven by a driver process per operation (scripts/stack-cli.ts, stack_cli.py, the Go driver):
 * the config goes to a file only the owner reads, never on a command line, and the process prints its
 * result as its last stdout line.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumi-cli";
import { type ConfigEntry, expectOk, lastLineResult, type Operation, type RunOptions, type StackDriver, type StackResult } from "./stack-driver";

const execFileAsync = promisify(execFile);

export interface DriverCommand {
  file: string;
  args: string[];
  env?: Record<string, string>;
}

export abstract class DriverProcessStack implements StackDriver {
  readonly stateDir: string;
  protected readonly configFile: string;

  constructor(
    public config: Record<string, ConfigEntry>,
    scratchPrefix: string,
  ) {
    this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), scratchPrefix));
    this.configFile = path.join(this.stateDir, "config.json");
  }

  /** The driver process that runs `operation` on the stack in `stateDir` with the config in `configFile`. */
  protected abstract command(operation: Operation): DriverCommand;

  /** Nothing to do ahead: every operation's process opens the stack and sets its config afresh. */
  async prepare(): Promise<void> {}

  async run(operation: Operation, options: RunOptions = {}): Promise<StackResult> {
    fs.writeFileSync(this.configFile, JSON.stringify(this.config), { mode: 0o600 });
    const { file, args, env } = this.command(operation);
    const { stdout, stderr } = await execFileAsync(file, args, {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, ...env },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return lastLineResult(stdout, stderr);
  }

  expectOk(operation: Operation, options?: RunOptions): Promise<StackResult> {
    return expectOk(this, operation, options);
  }

  dispose(): void {
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}
