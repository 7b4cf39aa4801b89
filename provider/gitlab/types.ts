/**
 * The public shapes of the GitLab client (the contract with provider/mirror). Type-only module.
 */
import type { Dispatcher } from "undici";
import type { SettingNames } from "../connection-settings";

export interface ConnectionSettings {
  /** The instance ("https://gitlab.example.com") or its API ("https://gitlab.example.com/api/v4/"). */
  baseUrl: string;
  token: string;
}

export interface ClientOptions {
  /** Bound on connecting, on waiting for response headers and on each body gap (ms). */
  timeoutMs: number;
  /**
   * Bound on one whole attempt, from connecting to the last body byte (ms): the gaps above restart
   * with every byte, so a server dripping its answer would otherwise hold the call forever.
   */
  attemptTimeoutMs: number;
  /**
   * Bound on the whole call: every attempt, every wait between them (ms). Each attempt is cut at what is
   * left of it, and no retry starts that could only end past it.
   */
  callTimeoutMs: number;
  /** Largest response body read (bytes); a 2xx with a longer one is GLM_ERR_UNEXPECTED_RESPONSE. */
  maxResponseBytes: number;
  /** Retries after the first attempt (so at most maxRetries + 1 requests per call). */
  maxRetries: number;
  /** Backoff base for 5xx and network failures (ms); attempt n waits up to baseDelayMs * 2^n. */
  baseDelayMs: number;
  /**
   * Cap on any single wait, a retry's or a host pause's; a 429 asking for longer, or a pause that would
   * outlast it, fails with GLM_ERR_RATE_LIMITED (ms).
   */
  maxDelayMs: number;
  /** Concurrent requests (and sockets) per GitLab host, shared by every client of that host. */
  maxConnectionsPerHost: number;
  /** Injected in tests (port-0 server via a fresh Agent, or MockAgent). */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  /** Epoch milliseconds. */
  now?: () => number;
  userAgent: string;
  /** Told of every wait of a second or more before a request is sent (rate limit, pacing, slots). */
  onWait?: (message: string) => void;
  /** How the caller's users name the base URL and the token, for every message that points at one; gitlab:* when not given. */
  settingNames?: SettingNames;
}

export type ProjectRef = number | string;

export interface Project {
  id: number;
  pathWithNamespace: string;
  defaultBranch: string | null;
}

export interface ProjectsApi {
  /** GET /projects/:id */
  get(project: ProjectRef): Promise<Project>;
}

export interface UsersApi {
  /** GET /user: the token's user; 401 for a wrong, expired or revoked token. */
  current(): Promise<{ id: number; username: string }>;
}

export interface RemoteMirror {
  id: number;
  enabled: boolean;
  url: string | null;
  updateStatus: string;
  lastUpdateAt: string | null;
  lastUpdateStartedAt: string | null;
  lastSuccessfulUpdateAt: string | null;
  lastError: string | null;
  onlyProtectedBranches: boolean;
  keepDivergentRefs: boolean | null;
  authMethod: string;
  hostKeys: { fingerprintSha256: string }[];
  /** undefined when GitLab (CE) does not return the field. */
  mirrorBranchRegex?: string | null;
}

export interface RemoteMirrorCreate {
  url: string;
  enabled?: boolean;
  authMethod?: "password" | "ssh_public_key";
  onlyProtectedBranches?: boolean;
  keepDivergentRefs?: boolean;
  mirrorBranchRegex?: string | null;
  hostKeys?: string[];
}

/** Only keys present are sent (snake_case). */
export type RemoteMirrorUpdate = Omit<Partial<RemoteMirrorCreate>, "url">;

export interface RemoteMirrorsApi {
  /** GET /projects/:id/remote_mirrors, all pages, per_page=100 */
  list(project: ProjectRef): Promise<RemoteMirror[]>;
  /** GET /projects/:id/remote_mirrors/:mirror_id */
  get(project: ProjectRef, mirrorId: number): Promise<RemoteMirror>;
  /** GET /projects/:id/remote_mirrors/:mirror_id/public_key */
  publicKey(project: ProjectRef, mirrorId: number): Promise<string>;
  /** POST /projects/:id/remote_mirrors (not retried on 5xx/network: not idempotent; 429 is retried) */
  create(project: ProjectRef, attrs: RemoteMirrorCreate): Promise<RemoteMirror>;
  /** PUT /projects/:id/remote_mirrors/:mirror_id */
  update(project: ProjectRef, mirrorId: number, attrs: RemoteMirrorUpdate): Promise<RemoteMirror>;
  /** POST /projects/:id/remote_mirrors/:mirror_id/sync (204) */
  sync(project: ProjectRef, mirrorId: number): Promise<void>;
  /** DELETE /projects/:id/remote_mirrors/:mirror_id (204) */
  remove(project: ProjectRef, mirrorId: number): Promise<void>;
}

export interface GitLabClient {
  readonly apiUrl: string;
  readonly projects: ProjectsApi;
  readonly remoteMirrors: RemoteMirrorsApi;
  readonly users: UsersApi;
  /**
   * The same client, with secrets besides the token that every error of its calls must mask (a mirror
   * URL's password, which GitLab may quote back in an answer to any call about that mirror).
   */
  withSecrets(secrets: readonly string[]): GitLabClient;
}
