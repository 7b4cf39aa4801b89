/**
 * Stacks of Node.js programs run by the Automation API: `openStack` opens one in this process (the
 * demo, the fleet benchmark, scripts/stack-cli.ts), and `AutomationStack` is the StackDriver that runs
 * each operation in a child process through scripts/stack-cli.ts, as the tests need.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { pulumiBinDir, repoRoot } from "./pulumi-cli";
import { type ConfigEntry, expectOk, lastLineResult, type Operation, type StackDriver, type StackResult } from "./stack-driver";

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
  await stack.setAllConfig(options.config);
  return stack;
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
export class AutomationStack implements StackDriver {
  readonly stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-"));
  private readonly configFile = path.join(this.stateDir, "config.json");

  constructor(
    private readonly program: string,
    private readonly project: string,
    public config: Record<string, ConfigEntry>,
    private readonly binDir: string = pulumiBinDir(),
  ) {
    if (!fs.existsSync(stackCli)) throw new Error(`${stackCli} is missing: run 'npx tsc -p tsconfig.json' (make test does)`);
  }

  async run(operation: Operation): Promise<StackResult> {
    fs.writeFileSync(this.configFile, JSON.stringify(this.config), { mode: 0o600 });
    const args = [stackCli, operation, "--program", this.program, "--project", this.project, "--stack", "e2e",
      "--state-dir", this.stateDir, "--config-file", this.configFile];
    const { stdout, stderr } = await execFileAsync(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, PULUMI_BIN_DIR: this.binDir },
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return lastLineResult(stdout, stderr);
  }

  expectOk(operation: Operation): Promise<StackResult> {
    return expectOk(this, operation);
  }

  dispose(): void {
    fs.rmSync(this.stateDir, { recursive: true, force: true });
  }
}
