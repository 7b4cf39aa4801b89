/**
 * A stack of a program on disk (YAML, or any language whose host is installed) driven by the real
 * `pulumi` CLI as a user runs it: its own project directory, a local file backend and PULUMI_HOME in
 * a temporary directory, a passphrase for secrets.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiBinDirForTests } from "./support";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions that no secret was shown. */
  log: string;
}

export class CliStack {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-cli-"));
  readonly projectDir = path.join(this.root, "project");
  readonly binDir = pulumiBinDirForTests();

  /** `files` are the project's files (Pulumi.yaml first of all), written into a fresh directory. */
  constructor(files: Record<string, string>, private readonly extraEnv: Record<string, string> = {}) {
    for (const dir of [this.projectDir, path.join(this.root, "backend"), path.join(this.root, "home")]) fs.mkdirSync(dir, { recursive: true });
    this.write(files);
  }

  write(files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(this.projectDir, name), text);
  }

  /**
   * Runs `pulumi <args>` in the project; never throws for a non-zero exit (the result says). `input`
   * goes to standard input: secrets travel that way, never on a command line.
   */
  run(args: string[], input?: string, timeoutMs = 240_000): Promise<CliResult> {
    const env = this.cliEnv();
    return new Promise((resolve) => {
      const child = execFile(
        path.join(this.binDir, "pulumi"),
        [...args, "--non-interactive"],
        { cwd: this.projectDir, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
          resolve({ code, stdout, stderr, log: `${stdout}\n${stderr}` });
        },
      );
      child.stdin?.end(input ?? "");
    });
  }

  /** The environment the CLI runs with: this stack's backend, home and passphrase, the built CLI first on PATH. */
  cliEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.extraEnv,
      PATH: `${this.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(this.root, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "gitlab-mirrors-cli-stack",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      NO_COLOR: "1",
    };
  }

  /** Runs a command that must succeed, failing the test with the CLI's words otherwise. */
  async ok(args: string[], input?: string): Promise<CliResult> {
    const result = await this.run(args, input);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.log.slice(-6000)}`);
    return result;
  }

  async init(stack: string, config: Record<string, { value: string; secret?: boolean }>): Promise<void> {
    await this.ok(["stack", "init", stack]);
    for (const [key, { value, secret }] of Object.entries(config)) await this.setConfig(key, value, secret);
  }

  async setConfig(key: string, value: string, secret = false): Promise<void> {
    await this.ok(["config", "set", ...(secret ? ["--secret"] : []), key], value);
  }

  /** The deployment as `pulumi stack export` prints it (secrets encrypted unless asked). */
  async exportState(showSecrets = false): Promise<{ text: string; resources: StateResource[] }> {
    const result = await this.ok(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
    const parsed = JSON.parse(result.stdout) as { deployment: { resources?: StateResource[] } };
    return { text: result.stdout, resources: parsed.deployment.resources ?? [] };
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
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
