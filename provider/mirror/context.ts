import { ClientOptions, createGitLabClient, GitLabClient, normaliseApiUrl, tokenProblem } from "../gitlab";
import { redactAll } from "../redact";
import { MirrorListCache } from "./mirror-lists";

/** Where lifecycle steps report progress. The dynamic adapter writes each line to stderr. */
export interface MirrorLogger {
  /**
   * A routine step that the engine's own display already tells (created, updated, deleted, read
   * unchanged): shown only when GITLAB_MIRRORS_LOG=debug, since at a thousand mirrors a line each is
   * noise, and each costs a call to the engine.
   */
  debug(message: string): void;
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
  /** One list per project answers the reads of a refresh. */
  mirrorLists: MirrorListCache;
  sleep: (ms: number) => Promise<void>;
  /** Epoch milliseconds. */
  now: () => number;
  /** Pause between GETs while waiting for a sync. */
  pollIntervalMs: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;

export interface MirrorContextOptions {
  baseUrl: string;
  token: string;
  logger: MirrorLogger;
  pollIntervalMs?: number;
  /** Shared by every context of a process unless one is given (tests give their own). */
  projectIds?: ProjectIdCache;
  mirrorLists?: MirrorListCache;
  clientOptions?: Partial<ClientOptions>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

let processProjectIds: ProjectIdCache | undefined;
let processMirrorLists: MirrorListCache | undefined;

/**
 * What the lifecycle needs, built from the connection settings: both adapters and the tests build it
 * here. Cheap enough per call: the client's connection pool and rate limiter are per GitLab host and
 * per process, not per client.
 */
export function createMirrorContext(options: MirrorContextOptions): MirrorContext {
  return {
    client: createGitLabClient(
      { baseUrl: options.baseUrl, token: options.token },
      { onWait: (message) => options.logger.info(message), ...options.clientOptions },
    ),
    token: options.token,
    logger: options.logger,
    projectIds: options.projectIds ?? (processProjectIds ??= new ProjectIdCache()),
    mirrorLists: options.mirrorLists ?? (processMirrorLists ??= new MirrorListCache()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
}

export type ConnectionSetting = "baseUrl" | "token";

/** The environment variable each connection setting falls back to (the ones pulumi-gitlab reads too). */
export const CONNECTION_ENV: Readonly<Record<ConnectionSetting, string>> = Object.freeze({
  baseUrl: "GITLAB_BASE_URL",
  token: "GITLAB_TOKEN",
});

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The settings given (stack config, provider arguments) first, then the environment. */
export function withEnvironmentFallback(
  given: { baseUrl?: unknown; token?: unknown },
  env: NodeJS.ProcessEnv = process.env,
): { baseUrl?: string; token?: string } {
  return {
    baseUrl: nonEmpty(given.baseUrl) ?? nonEmpty(env[CONNECTION_ENV.baseUrl]),
    token: nonEmpty(given.token) ?? nonEmpty(env[CONNECTION_ENV.token]),
  };
}

/** Whether routine steps are logged too (`GITLAB_MIRRORS_LOG=debug`). */
export function debugLogFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITLAB_MIRRORS_LOG?.trim().toLowerCase() === "debug";
}

/** How often `waitForSync` asks GitLab for the mirror's status: GITLAB_MIRRORS_POLL_INTERVAL_MS or the default. */
export function pollIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.GITLAB_MIRRORS_POLL_INTERVAL_MS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_POLL_INTERVAL_MS;
}

/**
 * What is wrong with the connection settings, if anything, without any network I/O. The adapters name
 * the settings the way their users write them (a stack config key, a provider argument).
 */
export function connectionProblems(settings: { baseUrl?: string; token?: string }): { setting: ConnectionSetting; reason: string }[] {
  const problems: { setting: ConnectionSetting; reason: string }[] = [];
  if (settings.baseUrl === undefined || settings.baseUrl === "") {
    problems.push({ setting: "baseUrl", reason: "is not set" });
  } else {
    try {
      normaliseApiUrl(settings.baseUrl);
    } catch (err) {
      const reason = (err as { reason?: unknown }).reason;
      problems.push({ setting: "baseUrl", reason: typeof reason === "string" ? reason : "is not a valid URL" });
    }
  }
  if (settings.token === undefined || settings.token === "") {
    problems.push({ setting: "token", reason: "is not set" });
  } else {
    const problem = tokenProblem(settings.token);
    if (problem !== null) problems.push({ setting: "token", reason: problem });
  }
  return problems;
}

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
    debug: (message) => logger.debug(redactAll(message, secrets)),
    info: (message) => logger.info(redactAll(message, secrets)),
    warn: (message) => logger.warn(redactAll(message, secrets)),
  };
}
