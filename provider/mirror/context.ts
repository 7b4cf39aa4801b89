import type { GitLabClient } from "../gitlab";
import { redactAll } from "../redact";

/** Where lifecycle steps report progress. The dynamic adapter writes each line to stderr. */
export interface MirrorLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Everything a lifecycle step needs from outside: injected so tests control the transport and time. */
export interface MirrorContext {
  client: GitLabClient;
  /** The API token, only so that text shown to people can be scrubbed of it. */
  token: string;
  logger: MirrorLogger;
  projectIds: ProjectIdCache;
  sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds. */
  now: () => number;
  /** Pause between GETs while waiting for a sync. */
  pollIntervalMs: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;

/** Project path -> numeric id, per GitLab API URL; one per provider process (paths rarely move). */
export class ProjectIdCache {
  private readonly ids = new Map<string, number>();

  get(apiUrl: string, path: string): number | undefined {
    return this.ids.get(this.key(apiUrl, path));
  }

  set(apiUrl: string, path: string, id: number): void {
    this.ids.set(this.key(apiUrl, path), id);
  }

  private key(apiUrl: string, path: string): string {
    return `${apiUrl}\n${path.toLowerCase()}`;
  }
}

export const NULL_LOGGER: MirrorLogger = Object.freeze({ info: () => undefined, warn: () => undefined });

/** A logger that masks URL credentials and the given secrets in every line before passing it on. */
export function scrubbingLogger(logger: MirrorLogger, secrets: readonly string[]): MirrorLogger {
  return {
    info: (message) => logger.info(redactAll(message, secrets)),
    warn: (message) => logger.warn(redactAll(message, secrets)),
  };
}
