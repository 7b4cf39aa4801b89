import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { pulumiBinDir, repoRoot } from "./pulumi-cli";

/** One config value of a stack; `secret` values are encrypted in the stack's config and state. */
export interface ConfigEntry {
  value: string;
  secret?: boolean;
}

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
