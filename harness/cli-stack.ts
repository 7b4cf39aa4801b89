/**
 * A stack of a project directory (YAML, or any language whose host is installed) driven by the real
 * `pulumi` CLI as a user runs it: a local file backend and PULUMI_HOME of its own beside the project,
 * a passphrase for secrets, secrets through standard input, never on a command line.
 *
 * As a StackDriver it runs `up`, `preview`, `refresh`, `destroy` and `export` on one stack; `pulumi()`
 * and `ok()` run any other command (import, stack output, ...).
 */
import { execFileWithInput } from "./exec-with-input";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type ConfigEntry, expectOk, type Operation, type RunOptions, type StackDriver, type StackResult } from "./stack-driver";

const PASSPHRASE = "gitlab-mirrors-cli-stack";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that no secret was shown. */
  log: string;
}

export interface CliStackOptions {
  /** Where `pulumi` is (scripts/setup-pulumi.sh builds it). */
  binDir: string;
  /** The project's files (Pulumi.yaml first of all), written into a fresh scratch directory ... */
  files?: Record<string, string>;
  /** ... or a project directory that exists: the backend and PULUMI_HOME go beside it. */
  projectDir?: string;
  /** Added to every command's environment. */
  env?: Record<string, string>;
  /** Encrypts the stack's secrets; another tool's stack in the same backend may have its own. */
  passphrase?: string;
  /** The stack the StackDriver operations run on, created on first use; "dev" when not given. */
  stack?: string;
  /** The StackDriver's config, set before every operation. */
  config?: Record<string, ConfigEntry>;
  /** Bound on each command, 0 for none (a benchmark's fleet may take longer); 240 s when not given. */
  timeoutMs?: number;
}

/** What each operation runs: never a prompt, and no preview before the real thing (the tests run their own). */
const OPERATION_ARGS: Record<Operation, string[]> = {
  up: ["up", "--yes", "--skip-preview"],
  preview: ["preview"],
  refresh: ["refresh", "--yes", "--skip-preview"],
  destroy: ["destroy", "--yes", "--skip-preview"],
  // As stored, secrets encrypted, as every driver's export answers.
  export: ["stack", "export"],
};

export class CliStack implements StackDriver {
  readonly projectDir: string;
  readonly backendDir: string;
  private readonly homeDir: string;
  /** The scratch directory this stack made and removes, when it made one. */
  private readonly scratch: string | undefined;
  readonly binDir: string;
  private readonly env: Record<string, string>;
  private readonly passphrase: string;
  private readonly stackName: string;
  private readonly timeoutMs: number;
  private initialised = false;
  private applied: Record<string, ConfigEntry> = {};
  config: Record<string, ConfigEntry>;

  constructor(options: CliStackOptions) {
    this.scratch = options.projectDir === undefined ? fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-cli-")) : undefined;
    this.projectDir = options.projectDir ?? path.join(this.scratch!, "project");
    const root = path.dirname(this.projectDir);
    this.backendDir = path.join(root, "backend");
    this.homeDir = path.join(root, "home");
    for (const dir of [this.projectDir, this.backendDir, this.homeDir]) fs.mkdirSync(dir, { recursive: true });
    this.binDir = options.binDir;
    this.env = options.env ?? {};
    this.passphrase = options.passphrase ?? PASSPHRASE;
    this.stackName = options.stack ?? "dev";
    this.timeoutMs = options.timeoutMs ?? 240_000;
    this.config = options.config ?? {};
    if (options.files) this.write(options.files);
  }

  write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(this.projectDir, name), text);
  }

  /**
   * Runs `pulumi <args>` in the project; never throws for a non-zero exit (the result says). `input`
   * goes to standard input: secrets travel that way, never on a command line.
   */
  pulumi(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
    const env = this.cliEnv(options.env);
    return execFileWithInput(
      path.join(this.binDir, "pulumi"),
      [...args, "--non-interactive"],
      { cwd: this.projectDir, env, timeout: options.timeoutMs ?? this.timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      options.input,
    ).then(({ error, stdout, stderr }) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      return { code, stdout, stderr, log: `${stdout}\n${stderr}` };
    });
  }

  /**
   * The environment every command runs with: this stack's backend, PULUMI_HOME and passphrase, the CLI first
   * on PATH (also for a test that starts `pulumi` itself, to kill it).
   */
  cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.env,
      ...extra,
      PATH: `${this.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.homeDir,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    };
  }

  /** Runs a command that must succeed, failing with the last lines of the CLI's words otherwise. */
  async ok(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) {
      const tail = result.log.trimEnd().split("\n").slice(-60).join("\n");
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${tail}`);
    }
    return result;
  }

  async init(stack: string, config: Record<string, ConfigEntry>): Promise<void> {
    await this.ok(["stack", "init", stack]);
    for (const [key, { value, secret }] of Object.entries(config)) await this.setConfig(key, value, secret, stack);
    if (stack === this.stackName) {
      this.initialised = true;
      this.applied = { ...config };
    }
  }

  /** The value travels on standard input, never on a command line. */
  async setConfig(key: string, value: string, secret = false, stack?: string): Promise<void> {
    await this.ok(["config", "set", ...(secret ? ["--secret"] : []), ...(stack === undefined ? [] : ["--stack", stack]), key], { input: value });
  }

  /** The deployment as `pulumi stack export` prints it (secrets encrypted unless asked). */
  async exportState(showSecrets = false): Promise<{ text: string; resources: StateResource[] }> {
    const result = await this.ok(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
    const parsed = JSON.parse(result.stdout) as { deployment: { resources?: StateResource[] } };
    return { text: result.stdout, resources: parsed.deployment.resources ?? [] };
  }

  /** The checkpoint file the file backend writes for `stack`. */
  stateFile(project: string, stack: string): string {
    return path.join(this.backendDir, ".pulumi", "stacks", project, `${stack}.json`);
  }

  async run(operation: Operation, options: RunOptions = {}): Promise<StackResult> {
    await this.prepare();
    const result = await this.pulumi([...OPERATION_ARGS[operation], "--stack", this.stackName], { env: options.env });
    if (result.code !== 0) {
      return { ok: false, error: result.stderr.trim() || result.stdout.trimEnd().split("\n").slice(-20).join("\n"), log: result.log };
    }
    if (operation === "export") return { ok: true, deployment: JSON.parse(result.stdout) as StackResult["deployment"], log: result.log };
    const outputs = (operation === "up" || operation === "refresh") && options.outputs !== false ? await this.outputs() : undefined;
    return { ok: true, changes: parseResourceSummary(result.stdout), ...(outputs ? { outputs } : {}), log: result.log };
  }

  expectOk(operation: Operation, options?: RunOptions): Promise<StackResult> {
    return expectOk(this, operation, options);
  }

  dispose(): void {
    if (this.scratch !== undefined) fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  /** Creates the stack on first use and sets the config values that changed since the last operation. */
  async prepare(): Promise<void> {
    if (!this.initialised) {
      await this.ok(["stack", "init", this.stackName]);
      this.initialised = true;
    }
    for (const [key, entry] of Object.entries(this.config)) {
      const before = this.applied[key];
      if (before?.value !== entry.value || before?.secret !== entry.secret) await this.setConfig(key, entry.value, entry.secret, this.stackName);
    }
    for (const key of Object.keys(this.applied)) {
      if (!(key in this.config)) await this.ok(["config", "rm", key, "--stack", this.stackName]);
    }
    this.applied = { ...this.config };
  }

  /** The stack's outputs, each marked secret when the CLI hides it without --show-secrets. */
  private async outputs(): Promise<Record<string, { value: unknown; secret: boolean }>> {
    const shown = JSON.parse((await this.ok(["stack", "output", "--json", "--stack", this.stackName])).stdout) as Record<string, unknown>;
    const revealed = JSON.parse((await this.ok(["stack", "output", "--json", "--show-secrets", "--stack", this.stackName])).stdout) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(revealed).map(([name, value]) => [name, { value, secret: shown[name] === "[secret]" && value !== "[secret]" }]),
    );
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  provider?: string;
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
    // A replacement's count has the two-character sign "+-" (or "-+" when deleted first), with no space.
    const match = /^\s+(?:[-+~]\s+|[-+]\/[-+]\s+|[-+]{2}\s*)?(\d+) (.+?)\s*$/.exec(line);
    if (match === null) break;
    const op = OPERATIONS[match[2]];
    if (op !== undefined) changes[op] = (changes[op] ?? 0) + Number(match[1]);
  }
  return changes;
}
