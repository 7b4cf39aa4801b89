/**
 * Stacks of Node.js programs run by the Automation API: `openStack` opens one in this process (the
 * demo, scripts/stack-cli.ts); two StackDrivers run them: `AutomationStack` runs each operation in a
 * child process through scripts/stack-cli.ts, as the tests need, and `InlineStack` runs them in this
 * process, as the fleet benchmark measures the inline path (no program start-up).
 */
import { execFile } from "node:child_process";
import { execFileWithInput } from "./exec-with-input";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { pulumiBinDir, repoRoot } from "./pulumi-cli";
import { DriverProcessStack, type DriverCommand } from "./driver-process-stack";
import { type ConfigEntry, expectOk, type Operation, type RunOptions, type StackDriver, type StackResult } from "./stack-driver";

export type { ConfigEntry } from "./stack-driver";

const execFileAsync = promisify(execFile);

export interface StackOptions {
  /** Compiled program module; its exports become the stack outputs. */
  programPath: string;
  projectName: string;
  stackName: string;
  /** Holds the local file backend and an isolated PULUMI_HOME: a user's Pulumi account and stacks are never touched. */
  stateDir: string;
  config: Record<string, ConfigEntry>;
  /**
   * Where the project and stack settings files go; defaults to <stateDir>/workspace. Stacks run side by
   * side need one each: opening a stack rewrites Pulumi.yaml while another stack's command may be reading it.
   */
  workDir?: string;
}

/** The passphrase that encrypts secrets in these throwaway local stacks. */
const PASSPHRASE = "gitlab-mirrors-local-stack";

/**
 * Opens (creating if needed) a stack run by the real `pulumi` CLI against a local file backend.
 * The program is a compiled module run inline by the Automation API, in this process.
 */
export async function openStack(options: StackOptions): Promise<Stack> {
  const binDir = pulumiBinDir();
  const { programPath, projectName } = options;
  // Stack config files land in this scratch workspace, never in the example's directory.
  const workDir = options.workDir ?? path.join(options.stateDir, "workspace");
  const backendDir = path.join(options.stateDir, "backend");
  const pulumiHome = path.join(options.stateDir, "home");
  for (const dir of [workDir, backendDir, pulumiHome]) fs.mkdirSync(dir, { recursive: true });

  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(binDir) });
  const stack = await LocalWorkspace.createOrSelectStack(
    {
      stackName: options.stackName,
      projectName,
      program: async () => loadProgram(programPath),
    },
    {
      workDir,
      pulumiCommand,
      pulumiHome,
      // `main` is the dynamic provider host's working directory: the repository root, whose
      // node_modules resolves @pulumi/pulumi and gitlab-mirrors as a user's project would.
      projectSettings: { name: projectName, runtime: "nodejs", main: repoRoot, backend: { url: `file://${backendDir}` } },
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      },
    },
  );
  await setConfigValues(stack, options.config);
  return stack;
}

/**
 * Sets config values on a stack the Automation API opened. Its setConfig would put a secret on the CLI's
 * command line: each secret goes to `pulumi config set --secret` on standard input instead.
 */
export async function setConfigValues(stack: Stack, config: Record<string, ConfigEntry>): Promise<void> {
  const entries = Object.entries(config);
  const plain = entries.filter(([, entry]) => !entry.secret);
  if (plain.length > 0) await stack.setAllConfig(Object.fromEntries(plain));
  const workspace = stack.workspace as LocalWorkspace;
  for (const [key, { value }] of entries.filter(([, entry]) => entry.secret)) {
    const { error, stderr } = await execFileWithInput(
      path.join(pulumiBinDir(), "pulumi"),
      ["config", "set", "--secret", "--stack", stack.name, key, "--non-interactive"],
      { cwd: workspace.workDir, env: { ...process.env, ...workspace.envVars, PULUMI_HOME: workspace.pulumiHome ?? "" } },
      value,
    );
    if (error) throw new Error(`pulumi config set --secret ${key} failed: ${stderr.trim()}`);
  }
}

/**
 * The deployment as stored, secrets encrypted, as `pulumi stack export` prints it: the Automation API's
 * exportStack() adds --show-secrets.
 */
export async function exportStoredState(stack: Stack): Promise<StackResult["deployment"]> {
  const workspace = stack.workspace as LocalWorkspace;
  const { stdout } = await execFileAsync(path.join(pulumiBinDir(), "pulumi"), ["stack", "export", "--stack", stack.name], {
    cwd: workspace.workDir,
    env: { ...process.env, ...workspace.envVars, PULUMI_HOME: workspace.pulumiHome ?? "" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as StackResult["deployment"];
}

/**
 * Runs the program module afresh: Node caches modules, and a second operation in the same
 * process would otherwise register no resources and plan to delete them all.
 */
function loadProgram(programPath: string): Record<string, unknown> {
  delete require.cache[require.resolve(programPath)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { ...(require(programPath) as Record<string, unknown>) };
}

/** A stack of one of the examples/ programs (compiled to dist/examples/<name>/index.js). */
export function openExampleStack(
  options: Omit<StackOptions, "programPath" | "projectName"> & { example: string },
): Promise<Stack> {
  const { example, ...rest } = options;
  return openStack({
    ...rest,
    programPath: path.join(repoRoot, "dist", "examples", example, "index.js"),
    projectName: readProjectName(path.join(repoRoot, "examples", example, "Pulumi.yaml")),
  });
}

function readProjectName(pulumiYaml: string): string {
  const match = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(pulumiYaml, "utf8"));
  if (!match) throw new Error(`${pulumiYaml} has no 'name:' line`);
  return match[1];
}

const stackCli = path.join(repoRoot, "dist", "scripts", "stack-cli.js");

/**
 * A stack of one compiled Node.js program on a fresh local file backend, each operation run by
 * scripts/stack-cli.ts in a child process (a program's module state never leaks between operations).
 */
export class AutomationStack extends DriverProcessStack {
  constructor(
    private readonly program: string,
    private readonly project: string,
    config: Record<string, ConfigEntry>,
    private readonly binDir: string = pulumiBinDir(),
  ) {
    super(config, "gitlab-mirrors-e2e-");
    if (!fs.existsSync(stackCli)) throw new Error(`${stackCli} is missing: run 'npx tsc -p tsconfig.json' (make test does)`);
  }

  protected command(operation: Operation): DriverCommand {
    return {
      file: process.execPath,
      args: [stackCli, operation, "--program", this.program, "--project", this.project, "--stack", "e2e",
        "--state-dir", this.stateDir, "--config-file", this.configFile],
      env: { PULUMI_BIN_DIR: this.binDir },
    };
  }
}

/**
 * A stack of one compiled Node.js program run inline by the Automation API in this process: no program
 * start-up per operation. Engine output goes to `onOutput` as it comes, and into the result's `log`.
 */
export class InlineStack implements StackDriver {
  private stack: Stack | undefined;
  private applied: Record<string, ConfigEntry> = {};

  constructor(
    private readonly options: Omit<StackOptions, "config"> & {
      /** Set in the workspace's environment for every operation (PULUMI_SKIP_CHECKPOINTS, ...). */
      env?: Record<string, string>;
      onOutput?: (text: string) => void;
    },
    public config: Record<string, ConfigEntry>,
  ) {}

  /** The checkpoint file the file backend writes for this stack. */
  get stateFile(): string {
    return path.join(this.options.stateDir, "backend", ".pulumi", "stacks", this.options.projectName, `${this.options.stackName}.json`);
  }

  async prepare(): Promise<void> {
    if (this.stack === undefined) {
      this.stack = await openStack({ ...this.options, config: this.config });
      this.applied = { ...this.config };
      Object.assign((this.stack.workspace as LocalWorkspace).envVars, this.options.env);
      return;
    }
    const changed = Object.fromEntries(
      Object.entries(this.config).filter(([key, entry]) => this.applied[key]?.value !== entry.value || this.applied[key]?.secret !== entry.secret),
    );
    if (Object.keys(changed).length > 0) await setConfigValues(this.stack, changed);
    for (const key of Object.keys(this.applied)) if (!(key in this.config)) await this.stack.removeConfig(key);
    this.applied = { ...this.config };
  }

  async run(operation: Operation, options: RunOptions = {}): Promise<StackResult> {
    await this.prepare();
    const stack = this.stack!;
    const envVars = (stack.workspace as LocalWorkspace).envVars;
    const saved = { ...envVars };
    Object.assign(envVars, options.env);
    let log = "";
    const onOutput = (text: string): void => {
      log += text;
      this.options.onOutput?.(text);
    };
    try {
      switch (operation) {
        case "up": {
          const result = await stack.up({ onOutput });
          return { ok: true, changes: counted(result.summary.resourceChanges), outputs: result.outputs, log };
        }
        case "preview":
          return { ok: true, changes: counted((await stack.preview({ onOutput })).changeSummary), log };
        case "refresh": {
          const result = await stack.refresh({ onOutput });
          return { ok: true, changes: counted(result.summary.resourceChanges), ...(options.outputs === false ? {} : { outputs: await stack.outputs() }), log };
        }
        case "destroy":
          return { ok: true, changes: counted((await stack.destroy({ onOutput })).summary.resourceChanges), log };
        case "export":
          return { ok: true, deployment: await exportStoredState(stack), log };
        default:
          throw new Error(`unknown operation ${operation as string}`);
      }
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), log };
    } finally {
      for (const key of Object.keys(envVars)) if (!(key in saved)) delete envVars[key];
      Object.assign(envVars, saved);
    }
  }

  expectOk(operation: Operation, options?: RunOptions): Promise<StackResult> {
    return expectOk(this, operation, options);
  }

  dispose(): void {
    fs.rmSync(this.options.stateDir, { recursive: true, force: true });
  }
}

/** The engine's counts without the operations it did not do. */
function counted(summary: Record<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [op, n] of Object.entries(summary ?? {})) if (n > 0) out[op] = n;
  return out;
}
