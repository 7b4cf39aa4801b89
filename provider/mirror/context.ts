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
  private readonly ids = new Map<string, Promise<number>>();

  /**
   * The id of `path` on the GitLab at `apiUrl`, looked up once: concurrent callers share the one
   * pending lookup (a fleet creating many mirrors in a project sends a single GET), and a failed lookup
   * is forgotten so the next caller tries again.
   */
  resolve(apiUrl: string, path: string, lookup: () => Promise<number>): Promise<number> {
    const key = `${apiUrl}\n${path.toLowerCase()}`;
    let pending = this.ids.get(key);
    if (pending === undefined) {
      pending = lookup();
      this.ids.set(key, pending);
      pending.catch(() => {
        if (this.ids.get(key) === pending) this.ids.delete(key);
      });
    }
    return pending;
  }
}


/** A logger that masks URL credentials and the given secrets in every line before passing it on. */
export function scrubbingLogger(logger: MirrorLogger, secrets: readonly string[]): MirrorLogger {
  return {
    info: (message) => logger.info(redactAll(message, secrets)),
    warn: (message) => logger.warn(redactAll(message, secrets)),
  };
}
