/**
 * The one place the command runs the `pulumi` CLI (from PATH): argument arrays, never a shell; output
 * captured; secrets only ever on stdin or in files, never in argv.
 */
import { execFile } from "node:child_process";

export interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PulumiTarget {
  /** The Pulumi project's directory. */
  cwd: string;
  /** The stack; the project's current stack when unset. */
  stack?: string;
}

export function runPulumi(target: PulumiTarget, args: string[]): Promise<PulumiRun> {
  const full = [...args, "--non-interactive", ...(target.stack !== undefined ? ["--stack", target.stack] : [])];
  return new Promise((resolve) => {
    execFile("pulumi", full, { cwd: target.cwd, maxBuffer: 512 * 1024 * 1024, env: process.env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr: error !== null && typeof error.code === "string" ? `${stderr}${error.message}` : stderr });
    });
  });
}

/** The CLI's own `error:` lines (or its last lines): what a failed command says, short. */
export function failureOf(run: PulumiRun): string {
  const lines = `${run.stderr}\n${run.stdout}`.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const errors = [...new Set(lines.filter((l) => l.startsWith("error:")))];
  return (errors.length > 0 ? errors : lines.slice(-3)).join(" | ").slice(0, 2000);
}

export async function requirePulumi(target: PulumiTarget, args: string[], what: string): Promise<string> {
  const run = await runPulumi(target, args);
  if (run.code !== 0) throw new Error(`${what} failed (pulumi exited ${run.code}): ${failureOf(run)}`);
  return run.stdout;
}
