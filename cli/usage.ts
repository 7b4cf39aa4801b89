import { parseArgs, type ParseArgsConfig } from "node:util";

/**
 * What every subcommand shares: the exit statuses, the usage error, and how a command's help is written.
 */

/** Exit statuses: done, failed (the work did not succeed), bad usage (nothing was attempted). */
export const EXIT = Object.freeze({ done: 0, failed: 1, usage: 2 });

/** A mistake on the command line: printed with the command's usage hint, exit 2. */
export class UsageError extends Error {
  readonly code = "GLM_ERR_USAGE";

  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export function isUsageError(err: unknown): err is UsageError {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "GLM_ERR_USAGE";
}

/** Where a command writes: injected so tests read what a user would see. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `util.parseArgs` with messages that never quote what the user typed beyond a plain option name: a token
 * pasted by mistake (`--token glpat-…`, or as a stray argument) must not be printed back.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const message = (err as Error).message;
    const option = /'(-{1,2}[A-Za-z][A-Za-z-]{0,30})'/.exec(message)?.[1];
    switch (code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
        throw new UsageError(option ? `unknown option ${option}` : "an unknown option was given", command);
      case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
        throw new UsageError("unexpected argument (this command takes options only)", command);
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
        throw new UsageError(option ? `option ${option} needs a value of the right kind` : "an option has a value of the wrong kind", command);
      default:
        throw new UsageError("the options cannot be read", command);
    }
  }
}
