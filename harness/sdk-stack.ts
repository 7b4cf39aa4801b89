/**
 * Stacks whose program is written in Python or Go, run through that language's Automation API
 * by a small driver (scripts/sdk-stacks/python, scripts/sdk-stacks/go), the twins of
 * scripts/stack-cli.ts: each runs one operation and prints the result as one JSON line. The
 * programs use the generated SDKs from this checkout and the provider plugin of this checkout.
 * `SdkStack` is the StackDriver over them.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumi-cli";
import { DriverProcessStack, type DriverCommand } from "./driver-process-stack";
import { type ConfigEntry, type Operation } from "./stack-driver";

export const execFileAsync = promisify(execFile);

export type SdkLanguage = "python" | "go";
/**
 * The language's quickstart (examples/<language>), a program that only calls getRemoteMirrors, or one that
 * declares ProjectMirrors sets from the configuration object `sets`.
 */
export type SdkProgram = "quickstart" | "discover" | "project_mirrors";

/** The Pulumi project name of each quickstart: the namespace of its configuration. */
export const QUICKSTART_PROJECTS: Record<SdkLanguage, string> = { python: "quickstart-python", go: "quickstart-go" };

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
 * dependencies), so every run uses the SDK as committed, never a copy installed earlier.
 */
export async function installPythonSdk(python: string, scratch: string): Promise<string> {
  // pip builds in the source tree (build/, *.egg-info): build from a copy, keep the checkout clean.
  const source = path.join(scratch, "sdk-source");
  fs.cpSync(path.join(repoRoot, "sdk", "python"), source, { recursive: true });
  const target = path.join(scratch, "sdk-site");
  await execFileAsync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
    "--no-build-isolation", "--no-cache-dir", "--target", target, source], { timeout: 180_000 });
  return target;
}

/** A driver, ready to run: the SDK installed (Python) or the driver built (Go) in a scratch directory. */
export interface SdkDriver {
  readonly language: SdkLanguage;
  command(operation: Operation, program: SdkProgram, state: { stateDir: string; configFile: string }): DriverCommand;
  dispose(): void;
}

export async function prepareDriver(language: SdkLanguage, pulumiBinDir: string): Promise<SdkDriver> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `gitlab-mirrors-${language}-driver-`));
  const dispose = () => fs.rmSync(scratch, { recursive: true, force: true });
  try {
    if (language === "python") {
      const { python } = await sdkTools("python");
      const site = await installPythonSdk(python, scratch);
      const programDirs: Record<SdkProgram, string> = {
        quickstart: path.join(repoRoot, "examples", "python"),
        discover: path.join(repoRoot, "scripts", "sdk-stacks", "python"),
        project_mirrors: path.join(repoRoot, "scripts", "sdk-stacks", "python"),
      };
      return {
        language,
        dispose,
        command: (operation, program, { stateDir, configFile }) => ({
          file: python,
          args: [path.join(repoRoot, "scripts", "sdk-stacks", "python", "stack_cli.py"), operation,
            "--program-dir", programDirs[program], "--function", program, "--project", QUICKSTART_PROJECTS.python,
            "--stack", "dev", "--state-dir", stateDir, "--config-file", configFile, "--plugin-dir", repoRoot],
          env: { PULUMI_BIN_DIR: pulumiBinDir, PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "1" },
        }),
      };
    }
    await sdkTools("go");
    const binary = path.join(scratch, "stackcli");
    // The module files as committed: a stale go.sum fails here rather than being rewritten.
    await execFileAsync("go", ["build", "-o", binary, "."], {
      cwd: path.join(repoRoot, "scripts", "sdk-stacks", "go"),
      timeout: 600_000,
    });
    return {
      language,
      dispose,
      command: (operation, program, { stateDir, configFile }) => ({
        file: binary,
        args: [operation, "-project", QUICKSTART_PROJECTS.go, "-stack", "dev", "-state-dir", stateDir,
          "-config-file", configFile, "-plugin-dir", repoRoot, "-program", program],
        env: { PULUMI_BIN_DIR: pulumiBinDir },
      }),
    };
  } catch (err) {
    dispose();
    throw err;
  }
}

/** A stack of one program on a fresh local file backend, run by a language's driver. */
export class SdkStack extends DriverProcessStack {
  constructor(
    private readonly driver: SdkDriver,
    private readonly program: SdkProgram,
    config: Record<string, ConfigEntry>,
  ) {
    super(config, "gitlab-mirrors-sdk-stack-");
  }

  protected command(operation: Operation): DriverCommand {
    return this.driver.command(operation, this.program, { stateDir: this.stateDir, configFile: this.configFile });
  }
}
