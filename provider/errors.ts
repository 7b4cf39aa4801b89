/**
 * The provider's error catalogue: one table of codes, one base class, one subclass per failure kind,
 * each with a fixed `name` and a stable `code`.
 *
 * Both `instanceof` and `err.code` work across two copies of this module (the serialized dynamic
 * provider and jest's module registry load two): every class is branded with a `Symbol.for` key and
 * answers `instanceof` by that brand, as undici does for its errors. The classification helpers below
 * branch on `code`, which survives even a trip through JSON.
 *
 * Messages say what failed, where, and what to do. They never contain a token or a URL password:
 * everything that goes into a message passes through provider/redact.ts.
 */
import { STATUS_CODES } from "node:http";
import { type ConnectionSetting, GITLAB_CONFIG_NAMES, type SettingNames } from "./connection-settings";
import { redactUrlCredentials } from "./redact";

/** Every code, declared once, with what it means. */
const CODES = {
  GLM_ERR_GITLAB_API: "GitLab answered with a non-2xx status (not 429 after retries)",
  GLM_ERR_RATE_LIMITED: "429 and retries exhausted, or a delay above the cap",
  GLM_ERR_NETWORK: "refused, TLS, reset, timeout, not HTTP; `sent` says whether GitLab may have seen it",
  GLM_ERR_RETRIES_EXHAUSTED: "retryable failures kept happening; `cause` is the last one",
  GLM_ERR_INVALID_INPUT: "a resource input is invalid (property + reason)",
  GLM_ERR_CONFIG: "connection settings or client options missing or invalid (names the setting and env var)",
  GLM_ERR_SYNC_FAILED: "a waited-for sync ended `failed`; the message carries GitLab's last_error (scrubbed)",
  GLM_ERR_SYNC_TIMEOUT: "waiting for a sync exceeded its bound",
  GLM_ERR_UNEXPECTED_RESPONSE: "a 2xx whose body does not match the API's schema (wrong baseUrl, proxy page)",
  GLM_ERR_MIRROR_URL_TAKEN: "a create met a mirror of the project that already holds the URL",
  GLM_ERR_PROVIDER: "a bug in gitlab-mirrors itself: a state the code should never reach",
  GLM_ERR_STEP_FAILED_AFTER_CHANGE: "a step failed after GitLab already changed; carries the resource's id and state, `cause` is the failure",
} as const;

export type ErrorCode = keyof typeof CODES;

export const ERROR_CODES: readonly ErrorCode[] = Object.freeze(Object.keys(CODES) as ErrorCode[]);

type ErrorClass = { prototype: object; name: string };

/**
 * Gives a class its `name` (on the prototype, so it is already right when V8 formats the stack at
 * construction) and its brand: `instanceof` asks for the brand, so an error made by another copy of
 * this module still is an instance. Every class is branded separately, or a subclass would inherit
 * the base's check and answer for every error of the catalogue.
 */
function catalogued(ctor: ErrorClass): void {
  const brand = Symbol.for(`gitlab-mirrors.error.${ctor.name}`);
  Object.defineProperty(ctor.prototype, "name", { value: ctor.name, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(ctor.prototype, brand, { value: true, enumerable: false });
  Object.defineProperty(ctor, Symbol.hasInstance, {
    value: (instance: unknown) => instance !== null && typeof instance === "object" && (instance as Record<symbol, unknown>)[brand] === true,
  });
}

export class GitLabMirrorsError extends Error {
  declare readonly name: string;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(redactUrlCredentials(message), options && "cause" in options ? { cause: options.cause } : undefined);
    this.code = code;
    // Every catalogued error is an expected failure whose message says what to do; frames into our
    // compiled files help no user. Pulumi's dynamic provider host prints a failed read or delete as
    // `${err}: ${err.stack}`, so a stack holding the message again printed it twice. The cause keeps its own.
    Object.defineProperty(this, "stack", { value: "", writable: true, configurable: true, enumerable: false });
  }

  /** Logs and JSON output get the name, code and message too (they are not own enumerable properties). */
  toJSON(): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>), name: this.name, code: this.code, message: this.message };
  }
}
catalogued(GitLabMirrorsError);

/** The call an HTTP-level error is about. `route` is a template (no ids); `path` has the ids, never a secret. */
export interface RequestDescription {
  method: string;
  route: string;
  path: string;
}

/** An error about one call to GitLab's API: the fields every such error shares. */
export class GitLabRequestError extends GitLabMirrorsError {
  readonly method: string;
  readonly route: string;
  readonly path: string;

  constructor(code: ErrorCode, request: RequestDescription, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.method = request.method;
    this.route = request.route;
    this.path = request.path;
  }
}
catalogued(GitLabRequestError);

export interface GitLabApiErrorInit extends RequestDescription {
  status: number;
  gitlabMessage: string;
  body: unknown;
  /** Project ref and mirror id the call was about, used to phrase the advice. */
  project?: number | string;
  mirrorId?: number;
  /** How the user names the connection settings the advice points at; gitlab:* when not given. */
  settingNames?: SettingNames;
}

const MIRROR_NOT_FOUND = "404 Not found";
const PROJECT_NOT_FOUND = "404 Project Not Found";

function projectLabel(init: { project?: number | string; path: string }): string {
  if (init.project !== undefined) return `project ${init.project}`;
  const match = /^\/projects\/([^/]+)/.exec(init.path);
  return match ? `project ${decodeURIComponent(match[1])}` : "the project";
}

function adviceFor(init: GitLabApiErrorInit): string {
  const project = projectLabel(init);
  switch (init.status) {
    case 400:
      return "GitLab rejected the request; correct the input it names and try again.";
    case 401: {
      const names = init.settingNames ?? GITLAB_CONFIG_NAMES;
      const check = `Check that the token is valid and not expired, and that its user has the Maintainer role on ${project} (GitLab answers 401 for a missing role).`;
      // Refresh and destroy are where a token rotated since the last run shows up.
      return init.method === "GET" || init.method === "DELETE"
        ? `${check} If the token was rotated, set the new one (${names.token.howToSet})${names.takesEffect ? `, then ${names.takesEffect}` : ""}.`
        : check;
    }
    case 403:
      return "Check that the token has the api scope (read_api cannot change mirrors) and that its user is not blocked.";
    case 404:
      if (init.gitlabMessage === PROJECT_NOT_FOUND) {
        return `Check the project path or id, and that the token's user can see ${project} (GitLab answers 404 for projects it hides).`;
      }
      if (init.gitlabMessage === MIRROR_NOT_FOUND) {
        const mirror = init.mirrorId !== undefined ? `Mirror ${init.mirrorId}` : "The mirror";
        return `${mirror} does not exist in ${project}; it may have been deleted outside Pulumi.`;
      }
      return "Check the base URL (it must point at the GitLab instance or its /api/v4) and the GitLab version (public_key needs 17.9+, sync 16.11+).";
    case 405:
      return `${project} may have moved; use its numeric id or its new path.`;
    default:
      if (init.status >= 300 && init.status < 400) {
        return `GitLab redirected the request, which it does when ${project} was renamed or moved; use the numeric project id or the new path.`;
      }
      if (init.status >= 500) {
        return "GitLab had a server error; the request may or may not have taken effect. Try again later.";
      }
      return "See GitLab's message above.";
  }
}

export class GitLabApiError extends GitLabRequestError {
  /** The connection setting to check: the token, for a 401. */
  readonly setting: ConnectionSetting | undefined;
  readonly status: number;
  readonly gitlabMessage: string;
  readonly body: unknown;

  constructor(init: GitLabApiErrorInit, options?: { cause?: unknown }) {
    const gitlabMessage = redactUrlCredentials(init.gitlabMessage);
    const text = STATUS_CODES[init.status] ?? "";
    super(
      "GLM_ERR_GITLAB_API",
      init,
      `${init.method} ${init.path} failed: ${init.status}${text ? ` ${text}` : ""} (GitLab: ${JSON.stringify(gitlabMessage)}). ${adviceFor({ ...init, gitlabMessage })}`,
      options,
    );
    this.setting = init.status === 401 ? "token" : undefined;
    this.status = init.status;
    this.gitlabMessage = gitlabMessage;
    this.body = init.body;
  }
}
catalogued(GitLabApiError);

export interface RateLimitedErrorInit extends RequestDescription {
  /**
   * false when the call was held back, unsent, because GitLab had answered an earlier request to the
   * host with 429 and asked for a longer wait than the cap; gitlabMessage and body are then empty.
   */
  sent: boolean;
  /** How many times the call was retried after a 429 before giving up. */
  retries: number;
  /** What GitLab asked us to wait, when that was above the cap (ms). */
  requestedDelayMs?: number;
  maxDelayMs: number;
  gitlabMessage: string;
  body: unknown;
}

const RATE_LIMIT_ADVICE =
  "Lower the parallelism (pulumi up --parallel N) or ask the GitLab admin about the API rate limit, then run the command again.";

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

export class RateLimitedError extends GitLabRequestError {
  readonly status = 429;
  readonly sent: boolean;
  readonly retries: number;
  readonly requestedDelayMs: number | undefined;
  readonly gitlabMessage: string;
  readonly body: unknown;

  constructor(init: RateLimitedErrorInit, options?: { cause?: unknown }) {
    const tooLong = init.requestedDelayMs !== undefined && init.requestedDelayMs > init.maxDelayMs;
    const wait = `${seconds(init.requestedDelayMs ?? 0)}, longer than the ${seconds(init.maxDelayMs)} this provider waits at most`;
    const gitlabMessage = redactUrlCredentials(init.gitlabMessage);
    const what = init.sent
      ? `${init.method} ${init.path} failed: 429 Too Many Requests (GitLab: ${JSON.stringify(gitlabMessage)}); ` +
        (tooLong ? `GitLab asked to wait ${wait}.` : `still rate limited after ${init.retries} ${init.retries === 1 ? "retry" : "retries"}.`)
      : `${init.method} ${init.path} was not sent: GitLab answered an earlier request with 429 Too Many Requests and asked to wait ${wait}.`;
    super("GLM_ERR_RATE_LIMITED", init, `${what} ${RATE_LIMIT_ADVICE}`, options);
    this.sent = init.sent;
    this.retries = init.retries;
    this.requestedDelayMs = init.requestedDelayMs;
    this.gitlabMessage = gitlabMessage;
    this.body = init.body;
  }
}
catalogued(RateLimitedError);

export interface NetworkErrorInit extends RequestDescription {
  /** The GitLab the request was for (scheme, host and port of the base URL), named in the message. */
  origin: string;
  /** What went wrong, for a person: "connection refused (ECONNREFUSED)", "connection reset (ECONNRESET)". */
  reason: string;
  /** false when the failure came before the request was sent (refused, DNS, TLS): GitLab never saw it. */
  sent: boolean;
  /** What to do, when the failure points at something more specific than the connection. */
  advice?: string;
  /** The connection setting to check, when the failure may come from it: the base URL, for a failure before sending. */
  setting?: ConnectionSetting;
  /** How the user names it; gitlab:* when not given. */
  settingNames?: SettingNames;
}

export class NetworkError extends GitLabRequestError {
  readonly setting: ConnectionSetting | undefined;
  readonly origin: string;
  readonly reason: string;
  readonly sent: boolean;

  constructor(init: NetworkErrorInit, options?: { cause?: unknown }) {
    const reached = init.sent ? "The request may or may not have reached GitLab" : "The request never reached GitLab";
    const advice =
      init.advice ??
      (init.sent
        ? "Check that GitLab is reachable from here and run the command again."
        : `Check that ${(init.settingNames ?? GITLAB_CONFIG_NAMES).baseUrl.name} names the right host and port and that GitLab is reachable there from here.`);
    super("GLM_ERR_NETWORK", init, `${init.method} ${init.path} failed: ${init.reason}, talking to ${init.origin}. ${reached}. ${advice}`, options);
    this.setting = init.setting ?? (init.sent ? undefined : "baseUrl");
    this.origin = init.origin;
    this.reason = init.reason;
    this.sent = init.sent;
  }
}
catalogued(NetworkError);

export interface RetriesExhaustedErrorInit extends RequestDescription {
  attempts: number;
  /** Set when the call stopped because its whole time was up: how long it took, and the bound (ms). */
  elapsedMs?: number;
  callTimeoutMs?: number;
}

export class RetriesExhaustedError extends GitLabRequestError {
  readonly attempts: number;

  /** `cause` is the last failure and is required: it says what kept going wrong. */
  constructor(init: RetriesExhaustedErrorInit, options: { cause: unknown }) {
    const last = options.cause instanceof Error ? options.cause.message : String(options.cause);
    const attempts = `${init.attempts} ${init.attempts === 1 ? "attempt" : "attempts"}`;
    const what =
      init.elapsedMs !== undefined && init.callTimeoutMs !== undefined
        ? `gave up after waiting ${(init.elapsedMs / 1000).toFixed(1)} s over ${attempts}: a call may take at most ${seconds(init.callTimeoutMs)}, retries included`
        : `failed after ${attempts}`;
    super("GLM_ERR_RETRIES_EXHAUSTED", init, `${init.method} ${init.path} ${what}; last error: ${last}`, options);
    this.attempts = init.attempts;
  }
}
catalogued(RetriesExhaustedError);

export class InvalidInputError extends GitLabMirrorsError {
  readonly property: string;
  readonly reason: string;

  constructor(property: string, reason: string, options?: { cause?: unknown }) {
    super("GLM_ERR_INVALID_INPUT", `Invalid input ${property}: ${reason}`, options);
    this.property = property;
    this.reason = reason;
  }
}
catalogued(InvalidInputError);

export class ConfigError extends GitLabMirrorsError {
  /** The setting as the user names it ("gitlab:baseUrl", "the provider's token") or the client option ("timeoutMs") at fault. */
  readonly key: string;
  /** Which connection setting is at fault, whatever the adapter calls it; undefined for a client option. */
  readonly setting: ConnectionSetting | undefined;
  readonly envVar: string | undefined;
  readonly reason: string;

  constructor(key: string, reason: string, options?: { envVar?: string; setting?: ConnectionSetting; cause?: unknown }) {
    const where = options?.envVar ? `${key} (or the ${options.envVar} environment variable)` : key;
    super("GLM_ERR_CONFIG", `Invalid configuration ${where}: ${reason}`, options);
    this.key = key;
    this.setting = options?.setting;
    this.envVar = options?.envVar;
    this.reason = reason;
  }
}
catalogued(ConfigError);

/** A connection setting is wrong: named the way the adapter's users name it. */
export function settingError(names: SettingNames, setting: ConnectionSetting, reason: string, options?: { cause?: unknown }): ConfigError {
  const { name, envVar } = names[setting];
  return new ConfigError(name, reason, { envVar, setting, ...options });
}

export function missingSettingError(names: SettingNames, setting: ConnectionSetting): ConfigError {
  return settingError(names, setting, `is not set; ${names[setting].howToSet}`);
}

export interface SyncFailedErrorInit {
  project: number | string;
  mirrorId: number;
  /** GitLab's `last_error`; credentials in it are masked here. */
  lastError: string | null;
}

export class SyncFailedError extends GitLabMirrorsError {
  readonly project: number | string;
  readonly mirrorId: number;
  readonly lastError: string | null;

  constructor(init: SyncFailedErrorInit, options?: { cause?: unknown }) {
    const lastError = init.lastError === null ? null : redactUrlCredentials(init.lastError);
    super(
      "GLM_ERR_SYNC_FAILED",
      `Sync of mirror ${init.mirrorId} on project ${init.project} failed (GitLab: ${JSON.stringify(lastError ?? "no last_error")}). ` +
        "Check the mirror URL's credentials or SSH key and host keys, and that the target accepts pushes.",
      options,
    );
    this.project = init.project;
    this.mirrorId = init.mirrorId;
    this.lastError = lastError;
  }
}
catalogued(SyncFailedError);

export interface SyncTimeoutErrorInit {
  project: number | string;
  mirrorId: number;
  /** The bound waited, as the user set it (syncTimeoutSeconds). */
  timeoutSeconds: number;
  /** The `update_status` last seen. */
  lastStatus: string;
}

export class SyncTimeoutError extends GitLabMirrorsError {
  readonly project: number | string;
  readonly mirrorId: number;
  readonly timeoutSeconds: number;
  readonly lastStatus: string;

  constructor(init: SyncTimeoutErrorInit, options?: { cause?: unknown }) {
    super(
      "GLM_ERR_SYNC_TIMEOUT",
      `Sync of mirror ${init.mirrorId} on project ${init.project} did not finish within syncTimeoutSeconds (${init.timeoutSeconds} s; ` +
        `last update_status: ${JSON.stringify(init.lastStatus)}). GitLab defers repeated syncs by minutes: raise syncTimeoutSeconds, ` +
        "or set waitForSync: false to ask for the sync without waiting for it.",
      options,
    );
    this.project = init.project;
    this.mirrorId = init.mirrorId;
    this.timeoutSeconds = init.timeoutSeconds;
    this.lastStatus = init.lastStatus;
  }
}
catalogued(SyncTimeoutError);

export interface UnexpectedResponseErrorInit extends RequestDescription {
  status: number;
  /** What did not match, one line per problem ("0.id: expected number"). */
  issues: string[];
  /** How the user names the base URL the advice points at; gitlab:baseUrl when not given. */
  settingNames?: SettingNames;
}

export class UnexpectedResponseError extends GitLabRequestError {
  /** The answer is not GitLab's API: the base URL is the setting to check. */
  readonly setting: ConnectionSetting = "baseUrl";
  readonly status: number;
  readonly issues: string[];

  constructor(init: UnexpectedResponseErrorInit, options?: { cause?: unknown }) {
    const shown = init.issues.slice(0, 5).join("; ") + (init.issues.length > 5 ? `; and ${init.issues.length - 5} more` : "");
    super(
      "GLM_ERR_UNEXPECTED_RESPONSE",
      init,
      `${init.method} ${init.path} answered ${init.status} with a body that is not GitLab's ${init.route} response (${shown}). ` +
        `Check that ${(init.settingNames ?? GITLAB_CONFIG_NAMES).baseUrl.name} points at GitLab itself (not a proxy or login page) and that GitLab is 16.11 or newer.`,
      options,
    );
    this.status = init.status;
    this.issues = init.issues;
  }
}
catalogued(UnexpectedResponseError);

/**
 * A bug in gitlab-mirrors itself: a state its own code should never reach. Unlike the expected
 * failures above it keeps its stack, which is what a bug report needs.
 */
export class ProviderError extends GitLabMirrorsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("GLM_ERR_PROVIDER", `${message} (this is a bug in gitlab-mirrors; please report it)`, options);
    Error.captureStackTrace(this, ProviderError);
  }
}
catalogued(ProviderError);

/**
 * A step that failed after GitLab already holds its change (a mirror created, a PUT done): the resource's
 * id and the state that is now true travel with the failure, so an adapter can have the engine record
 * them instead of orphaning the mirror. The message is the cause's: that is what the user must act on.
 */
export class StepFailedAfterChangeError<State> extends GitLabMirrorsError {
  readonly id: string;
  /** Holds secret inputs (the mirror's url): not enumerable, so no JSON or inspect of the error shows it. */
  declare readonly state: State;

  constructor(id: string, state: State, cause: unknown) {
    super("GLM_ERR_STEP_FAILED_AFTER_CHANGE", cause instanceof Error ? cause.message : String(cause), { cause });
    this.id = id;
    Object.defineProperty(this, "state", { value: state, enumerable: false, configurable: true, writable: false });
  }
}
catalogued(StepFailedAfterChangeError);

export interface MirrorUrlTakenErrorInit {
  projectId: number;
  mirrorId: number;
  /** The URL without credentials. */
  target: string;
}

/**
 * GitLab refused a create because a mirror of the project already has the URL: name that mirror and the
 * ways to take it over, so that an interrupted run or a mirror made by hand is not a dead end.
 */
export class MirrorUrlTakenError extends GitLabMirrorsError {
  readonly projectId: number;
  readonly mirrorId: number;
  readonly target: string;

  constructor(init: MirrorUrlTakenErrorInit, options?: { cause?: unknown }) {
    const id = `${init.projectId}:${init.mirrorId}`;
    super(
      "GLM_ERR_MIRROR_URL_TAKEN",
      `Project ${init.projectId} already has a mirror for ${init.target}: mirror ${id} (GitLab: "url has already been taken"). ` +
        "If an interrupted pulumi up made it, run `gitlab-mirrors recover` in the Pulumi project's directory; " +
        `to manage that mirror with this resource, import it (\`pulumi import gitlab-mirrors:index:RemoteMirror <name> ${id}\`) ` +
        "or set `adopt: true` on the resource; otherwise delete it in GitLab or choose another URL.",
      options,
    );
    this.projectId = init.projectId;
    this.mirrorId = init.mirrorId;
    this.target = init.target;
  }
}
catalogued(MirrorUrlTakenError);

function codeOf(err: unknown): unknown {
  return err !== null && typeof err === "object" ? (err as { code?: unknown }).code : undefined;
}

export function hasCode(err: unknown, code: ErrorCode): boolean {
  return codeOf(err) === code;
}

function apiFields(err: unknown): { status?: unknown; gitlabMessage?: unknown } {
  return hasCode(err, "GLM_ERR_GITLAB_API") ? (err as { status?: unknown; gitlabMessage?: unknown }) : {};
}

/** A 404 for the mirror itself (`404 Not found`, lowercase f): the mirror is gone. */
export function isMirrorNotFound(err: unknown): boolean {
  const { status, gitlabMessage } = apiFields(err);
  return status === 404 && gitlabMessage === MIRROR_NOT_FOUND;
}

/** A 404 for the project (`404 Project Not Found`): wrong path/id, or the token cannot see it. */
export function isProjectNotFound(err: unknown): boolean {
  const { status, gitlabMessage } = apiFields(err);
  return status === 404 && gitlabMessage === PROJECT_NOT_FOUND;
}

/** GitLab's 400 for a second mirror of a project with the same credential-free URL. */
export function isUrlTaken(err: unknown): boolean {
  const { status, gitlabMessage } = apiFields(err);
  return status === 400 && typeof gitlabMessage === "string" && /\burl has already been taken\b/.test(gitlabMessage);
}

/**
 * The call may have taken effect on GitLab: a network failure after the connection was made, a 5xx, or
 * retries that ran out on those.
 */
export function isAmbiguousFailure(err: unknown): boolean {
  // A network failure that came before the request was sent (refused, DNS, TLS) certainly did nothing.
  if (hasCode(err, "GLM_ERR_NETWORK")) return (err as { sent?: unknown }).sent !== false;
  if (hasCode(err, "GLM_ERR_GITLAB_API")) {
    const { status } = apiFields(err);
    return typeof status === "number" && status >= 500;
  }
  if (hasCode(err, "GLM_ERR_RETRIES_EXHAUSTED")) {
    return isAmbiguousFailure((err as { cause?: unknown }).cause);
  }
  return false;
}
