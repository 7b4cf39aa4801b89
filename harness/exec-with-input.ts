/**
 * `execFile` with `input` written to the command's standard input: secrets travel that way, never on a
 * command line. A command that ends without reading its input (`unzip -p`, a quick failure) closes the
 * pipe first, and the write fails with EPIPE: that is no failure of ours, and must not become an
 * unhandled error; the command's own exit says how it went.
 */
import { execFile, type ExecFileException, type ExecFileOptions } from "node:child_process";

export interface ExecOutcome {
  error: ExecFileException | null;
  stdout: string;
  stderr: string;
}

export function execFileWithInput(file: string, args: readonly string[], options: ExecFileOptions, input = ""): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { ...options, encoding: "utf8" }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
    child.stdin?.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") child.kill("SIGKILL");
    });
    child.stdin?.end(input);
  });
}
