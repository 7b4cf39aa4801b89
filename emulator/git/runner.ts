/**
 * The one module that starts subprocesses. Everything runs with argument arrays (never a shell
 * string), a timeout, captured output, and a clean environment that ignores the user's and the
 * system's git and ssh configuration.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { scrubSecrets } from "./scrub";

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Exit codes that are answers, not failures (e.g. 1 from `merge-base --is-ancestor`). */
  okExitCodes?: number[];
  /** Strings to scrub from the error's stderr tail. */
  secrets?: ReadonlyArray<string | undefined>;
  input?: string;
}

export class GitCommandError extends Error {
  override readonly name = "GitCommandError";
  readonly code = "EMU_ERR_GIT_COMMAND";
  constructor(
    readonly command: string[],
    readonly exitCode: number | null,
    readonly stderrTail: string,
    readonly timedOut: boolean,
  ) {
    super(
      timedOut
        ? `git ${command[0]} timed out`
        : `git ${command[0]} failed with exit status ${exitCode}: ${stderrTail}`,
    );
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
const STDERR_TAIL = 2_000;

export interface GitRunnerOptions {
  /** An empty directory used as HOME so no user configuration leaks in. */
  homeDir: string;
  gitBinary?: string;
}

export class GitRunner {
  private readonly children = new Set<ChildProcessWithoutNullStreams>();

  constructor(private readonly options: GitRunnerOptions) {}

  /**
   * Environment that answers git's username/password prompts from variables, so HTTP credentials
   * never appear in argv or in the URL git prints, and a wrong password fails with git's own
   * "Authentication failed" message.
   */
  credentialEnv(user: string | undefined, password: string | undefined): Record<string, string> {
    const script = path.join(this.options.homeDir, "askpass.sh");
    if (!fs.existsSync(script)) {
      fs.writeFileSync(
        script,
        '#!/bin/sh\ncase "$1" in\n  Username*) printf \'%s\\n\' "$GLM_MIRROR_USER" ;;\n  *) printf \'%s\\n\' "$GLM_MIRROR_PASSWORD" ;;\nesac\n',
        { mode: 0o700 },
      );
    }
    return { GIT_ASKPASS: script, GLM_MIRROR_USER: user ?? "", GLM_MIRROR_PASSWORD: password ?? "" };
  }

  baseEnv(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: this.options.homeDir,
      LANG: "C",
      LC_ALL: "C",
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_ASKPASS: "",
      SSH_ASKPASS: "",
    };
  }

  /** Runs `git <args>` to completion. */
  run(args: string[], options: RunOptions = {}): Promise<CommandResult> {
    const okCodes = new Set([0, ...(options.okExitCodes ?? [])]);
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.options.gitBinary ?? "git",
        args,
        {
          cwd: options.cwd,
          env: { ...this.baseEnv(), ...(options.env ?? {}) },
          timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBuffer: 64 * 1024 * 1024,
          encoding: "utf8",
          killSignal: "SIGKILL",
        },
        (error, stdout, stderr) => {
          const exitCode = error ? (typeof error.code === "number" ? error.code : null) : 0;
          if (exitCode !== null && okCodes.has(exitCode)) {
            resolve({ stdout, stderr, exitCode });
            return;
          }
          const timedOut = Boolean(error && (error as { killed?: boolean }).killed && exitCode === null);
          const tail = scrubSecrets(String(stderr).slice(-STDERR_TAIL).trim(), options.secrets ?? []);
          reject(new GitCommandError(args, exitCode, tail, timedOut));
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  }

  /**
   * Starts a long-running git process with streams (used for `git http-backend`). The caller
   * wires the streams; the runner only tracks the child so `killAll` can stop it.
   */
  spawnStreaming(args: string[], env: Record<string, string>, cwd?: string): ChildProcessWithoutNullStreams {
    const child = spawn(this.options.gitBinary ?? "git", args, {
      cwd,
      env: { ...this.baseEnv(), ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.children.add(child);
    child.once("close", () => this.children.delete(child));
    return child;
  }

  killAll(): void {
    for (const child of this.children) child.kill("SIGKILL");
  }
}
