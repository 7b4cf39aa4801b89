/**
 * The one module that starts subprocesses. Everything runs with argument arrays (never a shell
 * string), a timeout, captured output, and a clean environment that ignores the user's and the
 * system's git and ssh configuration.
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from "node:child_process";
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
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

export interface GitRunnerOptions {
  /** An empty directory used as HOME so no user configuration leaks in. */
  homeDir: string;
  gitBinary?: string;
}

export class GitRunner {
  private readonly children = new Set<ChildProcess>();

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

  /**
   * Runs `git <args>` to completion. Git runs in its own process group so a timeout or
   * `killAll` also stops its helpers (git-remote-http, ssh), which hold the output pipes.
   */
  run(args: string[], options: RunOptions = {}): Promise<CommandResult> {
    const okCodes = new Set([0, ...(options.okExitCodes ?? [])]);
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.gitBinary ?? "git", args, {
        cwd: options.cwd,
        env: { ...this.baseEnv(), ...(options.env ?? {}) },
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
      this.children.add(child);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let outputBytes = 0;
      child.stdout.on("data", (d: Buffer) => {
        outputBytes += d.length;
        if (outputBytes <= MAX_OUTPUT_BYTES) stdout.push(d);
      });
      child.stderr.on("data", (d: Buffer) => stderr.push(d));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      let finished = false;
      const finish = (exitCode: number | null, spawnError?: Error): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        this.children.delete(child);
        const out = Buffer.concat(stdout).toString("utf8");
        const err = Buffer.concat(stderr).toString("utf8") + (spawnError ? spawnError.message : "");
        if (!timedOut && exitCode !== null && okCodes.has(exitCode)) {
          resolve({ stdout: out, stderr: err, exitCode });
          return;
        }
        const tail = scrubSecrets(err.slice(-STDERR_TAIL).trim(), options.secrets ?? []);
        reject(new GitCommandError(args, exitCode, tail, timedOut));
      };
      child.once("error", (error) => finish(null, error));
      child.once("close", (code) => finish(code));
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.input ?? undefined);
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
      detached: true,
    });
    this.children.add(child);
    child.once("close", () => this.children.delete(child));
    return child;
  }

  killAll(): void {
    for (const child of this.children) killGroup(child);
  }
}
