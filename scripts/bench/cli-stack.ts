/**
 * A stack of a project directory driven by the real `pulumi` CLI, as a user runs it: a local file
 * backend and PULUMI_HOME of its own, secrets through standard input, never on a command line.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const PASSPHRASE = "gitlab-mirrors-bench";

export interface CliStackOptions {
  env?: Record<string, string>;
  /** Encrypts the stack's secrets; another tool's stack in the same backend may have its own. */
  passphrase?: string;
}

export interface StepSummary {
  /** The engine's change counts by operation (create, update, delete, same, ...). */
  changes: Record<string, number>;
}

export class CliStack {
  readonly backendDir: string;
  private readonly homeDir: string;

  private readonly env: Record<string, string>;
  private readonly passphrase: string;

  /** The backend and PULUMI_HOME are `backend` and `home` beside `projectDir`. */
  constructor(
    readonly projectDir: string,
    private readonly binDir: string,
    options: CliStackOptions = {},
  ) {
    this.env = options.env ?? {};
    this.passphrase = options.passphrase ?? PASSPHRASE;
    const root = path.dirname(projectDir);
    this.backendDir = path.join(root, "backend");
    this.homeDir = path.join(root, "home");
    for (const dir of [this.backendDir, this.homeDir]) fs.mkdirSync(dir, { recursive: true });
  }

  /** Runs `pulumi <args>`; a non-zero exit fails with the last lines of the CLI's output. */
  run(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const env = {
      ...process.env,
      ...this.env,
      ...options.env,
      PATH: `${this.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.homeDir,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    };
    return new Promise((resolve, reject) => {
      const child = execFile(
        path.join(this.binDir, "pulumi"),
        [...args, "--non-interactive"],
        { cwd: this.projectDir, env, maxBuffer: 256 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error === null) return resolve(stdout);
          const tail = `${stdout}\n${stderr}`.trimEnd().split("\n").slice(-30).join("\n");
          reject(new Error(`pulumi ${args[0]} exited with ${String(error.code)}:\n${tail}`));
        },
      );
      child.stdin?.end(options.input ?? "");
    });
  }

  async init(stack: string, config: Record<string, { value: string; secret?: boolean }>): Promise<void> {
    await this.run(["stack", "init", stack]);
    for (const [key, { value, secret }] of Object.entries(config)) await this.setConfig(key, value, secret);
  }

  /** The value travels on standard input, never on a command line. */
  async setConfig(key: string, value: string, secret = false, stack?: string): Promise<void> {
    await this.run(["config", "set", ...(secret ? ["--secret"] : []), ...(stack === undefined ? [] : ["--stack", stack]), key], { input: value });
  }

  /** The checkpoint file the file backend writes for `stack`. */
  stateFile(project: string, stack: string): string {
    return path.join(this.backendDir, ".pulumi", "stacks", project, `${stack}.json`);
  }
}

const OPERATIONS: Record<string, string> = {
  created: "create",
  "to create": "create",
  updated: "update",
  "to update": "update",
  deleted: "delete",
  "to delete": "delete",
  replaced: "replace",
  "to replace": "replace",
  unchanged: "same",
};

/** The counts of the "Resources:" block the CLI prints at the end of up, preview, refresh and destroy. */
export function parseResourceSummary(stdout: string): Record<string, number> {
  const changes: Record<string, number> = {};
  const blocks = stdout.split(/^Resources:\n/m);
  if (blocks.length < 2) return changes;
  for (const line of blocks[blocks.length - 1].split("\n")) {
    const match = /^\s+(?:[-+~]\s+|[-+]\/[-+]\s+)?(\d+) (.+?)\s*$/.exec(line);
    if (match === null) break;
    const op = OPERATIONS[match[2]];
    if (op !== undefined) changes[op] = (changes[op] ?? 0) + Number(match[1]);
  }
  return changes;
}
