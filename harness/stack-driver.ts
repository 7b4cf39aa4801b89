/**
 * One way to drive a stack, whatever runs it: the Automation API of Node.js (automation-stack.ts), of
 * Python or Go (sdk-stack.ts), or the `pulumi` CLI itself (cli-stack.ts). Tests, demos and benchmarks
 * hold a `StackDriver` and ask for an operation; each answers in the same shape.
 */

/** One config value of a stack; `secret` values are encrypted in the stack's config and state. */
export interface ConfigEntry {
  value: string;
  secret?: boolean;
}

export type Operation = "up" | "preview" | "refresh" | "destroy" | "export";

/** How one operation runs, beyond the stack's config. */
export interface RunOptions {
  /** Added to the environment of the processes this operation starts (a benchmark's profiler, ...). */
  env?: Record<string, string>;
  /**
   * False: do not read the stack's outputs after `up` or `refresh`. A driver that must ask the CLI for
   * them again (CliStack) then runs the operation alone, as a benchmark times it.
   */
  outputs?: boolean;
}

/** What one operation reports: the same shape for every driver. */
export interface StackResult {
  ok: boolean;
  error?: string;
  /** The engine's change counts by operation (create, update, delete, same, ...). */
  changes?: Record<string, number>;
  outputs?: Record<string, { value: unknown; secret: boolean }>;
  /** `export` only: the deployment as `pulumi stack export` prints it. */
  deployment?: { version: number; deployment: unknown };
  /** Everything the engine printed, for assertions that no secret was shown. */
  log: string;
}

export interface StackDriver {
  /** Applied before every operation: change it between operations to change the stack's config. */
  config: Record<string, ConfigEntry>;
  /**
   * Creates the stack and applies its config now, so that the first operation does only its own work
   * (a benchmark times it). Optional: the first operation prepares the stack when nothing did.
   */
  prepare(): Promise<void>;
  /** Runs an operation; a failed one resolves with `ok: false` and the engine's words. */
  run(operation: Operation, options?: RunOptions): Promise<StackResult>;
  /** Runs an operation that must succeed, failing with the engine's words otherwise. */
  expectOk(operation: Operation, options?: RunOptions): Promise<StackResult>;
  /** Removes the stack's state, backend and scratch files. */
  dispose(): void;
}

/** `expectOk` for every driver: one failure message, whoever ran the operation. */
export async function expectOk(driver: Pick<StackDriver, "run">, operation: Operation, options?: RunOptions): Promise<StackResult> {
  const result = await driver.run(operation, options);
  if (!result.ok) throw new Error(`pulumi ${operation} failed: ${result.error}\n${result.log.slice(-4000)}`);
  return result;
}

/** The result a driver process prints as its last stdout line (scripts/stack-cli.ts, stack_cli.py, the Go driver). */
export function lastLineResult(stdout: string, stderr: string): StackResult {
  const lines = stdout.trim().split("\n");
  const result = JSON.parse(lines[lines.length - 1]) as Omit<StackResult, "log">;
  return { ...result, log: `${stdout}\n${stderr}` };
}
