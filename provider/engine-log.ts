/**
 * Log lines sent to the Pulumi engine's Log service, so that a warning shows as a warning and a line
 * about a resource shows under that resource. Lines go one at a time, in order; while no engine is
 * known, or when it cannot be reached, they go to stderr (which the engine shows as plain info).
 */
import { pulumiRpc } from "./pulumi-rpc";
import { redactUrlCredentials } from "./redact";

/** A line the engine has not taken within this goes to stderr instead: calls wait for their lines. */
const LOG_DEADLINE_MS = 5_000;

export type Severity = "info" | "warning";

export interface EngineLog {
  (severity: Severity, message: string, urn?: string): void;
  /** Where the engine listens (a plugin learns it from its arguments, or later from Attach). */
  setAddress(address: string | undefined): void;
  /**
   * Resolves once every line logged so far has reached the engine (or stderr). A call waits for it
   * before it answers: the engine may end its run, and stop showing lines, as soon as the last call
   * answers (regression: a refresh's "no longer exists" warning was sometimes lost).
   */
  delivered(): Promise<void>;
}

/**
 * The engine's address among the plugin's arguments. The engine puts it last, after flags of its own
 * (`--logtostderr`, `-v=9`, `--tracing <endpoint>`), so the first argument that is not a flag can be a
 * flag's value.
 */
export function engineAddressOf(args: readonly string[]): string | undefined {
  const last = args[args.length - 1];
  return last !== undefined && !last.startsWith("-") && args[args.length - 2] !== "--tracing" ? last : undefined;
}

function toStderr(severity: Severity, message: string): void {
  process.stderr.write(`[gitlab-mirrors] ${severity === "warning" ? "warning: " : ""}${message}\n`);
}

export function createEngineLog(address?: string): EngineLog {
  let client:
    | { log(request: unknown, metadata: unknown, options: { deadline: number }, done: (err: unknown) => void): void; close(): void }
    | undefined;
  let sent: Promise<void> = Promise.resolve();
  const log = ((severity, message, urn = "") => {
    const text = redactUrlCredentials(message);
    const target = client;
    if (target === undefined) return toStderr(severity, text);
    const rpc = pulumiRpc();
    const request = new rpc.engine.LogRequest();
    request.setSeverity(severity === "warning" ? rpc.engine.LogSeverity.WARNING : rpc.engine.LogSeverity.INFO);
    request.setMessage(text);
    request.setUrn(urn);
    sent = sent.then(
      () =>
        new Promise<void>((resolve) =>
          target.log(request, new rpc.grpc.Metadata(), { deadline: Date.now() + LOG_DEADLINE_MS }, (err) => (err ? toStderr(severity, text) : undefined, resolve())),
        ),
    );
  }) as EngineLog;
  log.setAddress = (next) => {
    client?.close();
    const rpc = pulumiRpc();
    client = next ? new rpc.EngineClient(next, rpc.grpc.credentials.createInsecure()) : undefined;
  };
  log.delivered = () => sent;
  log.setAddress(address);
  return log;
}
