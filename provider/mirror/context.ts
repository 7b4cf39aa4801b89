import { CONNECTION_ENV, type ConnectionSetting, GITLAB_CONFIG_NAMES, notSetReason, type SettingNames } from "../connection-settings";
import { ConfigError, missingSettingError } from "../errors";
import { ClientOptions, createGitLabClient, GitLabClient, normaliseApiUrl, tokenProblem } from "../gitlab";
import { allRedactor } from "../redact";
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
  /** Unset (undefined or empty) fails naming the setting as `settingNames` does. */
  baseUrl?: string;
  token?: string;
  /** How the adapter's users name the connection settings; the dynamic provider's gitlab:* when not given. */
  settingNames?: SettingNames;
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
  const settingNames = options.settingNames ?? GITLAB_CONFIG_NAMES;
  const { baseUrl, token } = options;
  if (baseUrl === undefined || baseUrl === "") throw missingSettingError(settingNames, "baseUrl");
  if (token === undefined || token === "") throw missingSettingError(settingNames, "token");
  return {
    client: createGitLabClient({ baseUrl, token }, { onWait: (message) => options.logger.info(message), settingNames, ...options.clientOptions }),
    token,
    logger: options.logger,
    projectIds: options.projectIds ?? (processProjectIds ??= new ProjectIdCache()),
    mirrorLists: options.mirrorLists ?? (processMirrorLists ??= new MirrorListCache()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: options.now ?? Date.now,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
  };
}

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
 * What is wrong with the connection settings, if anything, without any network I/O: one failure per
 * setting, named as the adapter's users write it (`settingNames`), for Check to report.
 */
export function connectionFailures(
  settings: { baseUrl?: string; token?: string },
  settingNames: SettingNames,
): { property: string; setting: ConnectionSetting; reason: string }[] {
  const failures: { property: string; setting: ConnectionSetting; reason: string }[] = [];
  const fail = (setting: ConnectionSetting, reason: string) => failures.push({ property: settingNames[setting].name, setting, reason });
  if (settings.baseUrl === undefined || settings.baseUrl === "") {
    fail("baseUrl", notSetReason(settingNames.baseUrl));
  } else {
    try {
      normaliseApiUrl(settings.baseUrl, settingNames);
    } catch (err) {
      fail("baseUrl", err instanceof ConfigError ? err.reason : "is not a valid URL");
    }
  }
  if (settings.token === undefined || settings.token === "") fail("token", notSetReason(settingNames.token));
  else {
    const problem = tokenProblem(settings.token);
    if (problem !== null) fail("token", problem);
  }
  return failures;
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
  const scrub = allRedactor(secrets);
  return {
    debug: (message) => logger.debug(scrub(message)),
    info: (message) => logger.info(scrub(message)),
    warn: (message) => logger.warn(scrub(message)),
  };
}
