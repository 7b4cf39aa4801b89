/**
 * The request function every resource module calls. Composition, done once per client:
 *
 *   withRetry( withHostLimiter( sendOnce ) )
 *
 * `sendOnce` is one undici request (PRIVATE-TOKEN, JSON, timeouts) that reports a response or a network
 * failure; the host limiter holds a slot per attempt and pauses the whole host after a 429; the retry
 * wrapper asks the pure `decideRetry` what to do and maps the final failure to the error catalogue,
 * redacting the token and URL credentials from everything it puts in an error.
 * Resource calls never loop or sleep themselves.
 */
import { request, type Dispatcher } from "undici";
import type { z } from "zod";
import {
  GitLabApiError,
  NetworkError,
  RateLimitedError,
  RetriesExhaustedError,
  UnexpectedResponseError,
  type GitLabMirrorsError,
} from "../errors";
import { redactAll, redactValue } from "../redact";
import { flattenGitLabMessage } from "./error-body";
import type { ResolvedClientOptions } from "./options";
import { buildPath, type Route, type RouteParams } from "./path";
import type { HostRateLimiter } from "./rate-limiter";
import { decideRetry, rateLimitWaitMs, type Failure } from "./retry";
import { describeIssues } from "./schemas";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface ApiRequest {
  method: HttpMethod;
  route: Route;
  params: RouteParams;
  query?: Readonly<Record<string, string | number>>;
  body?: Readonly<Record<string, unknown>>;
  /** Safe to repeat after a 5xx or a network failure (a 429 is always retried). */
  idempotent: boolean;
}

export interface CallDescription {
  method: HttpMethod;
  route: Route;
  path: string;
  project: RouteParams["id"];
  mirrorId?: number;
}

export type Headers = Readonly<Record<string, string | undefined>>;

export interface ApiResponse {
  call: CallDescription;
  status: number;
  headers: Headers;
  body: unknown;
}

/** Resolves with a 2xx response; rejects with a GitLabMirrorsError. */
export type Transport = (req: ApiRequest) => Promise<ApiResponse>;

type Outcome = { kind: "response"; response: ApiResponse } | { kind: "network"; error: NetworkError };
type Attempt = (call: CallDescription, req: ApiRequest) => Promise<Outcome>;

export interface TransportSettings {
  apiUrl: string;
  token: string;
  dispatcher: Dispatcher;
  limiter: HostRateLimiter;
  options: ResolvedClientOptions;
}

const NETWORK_REASONS: Readonly<Record<string, (timeoutMs: number) => string>> = {
  UND_ERR_CONNECT_TIMEOUT: (ms) => `connect timed out after ${ms} ms`,
  UND_ERR_HEADERS_TIMEOUT: (ms) => `no response headers within ${ms} ms`,
  UND_ERR_BODY_TIMEOUT: (ms) => `response body stalled for ${ms} ms`,
  UND_ERR_SOCKET: () => "connection closed by the other side",
  UND_ERR_CLOSED: () => "client closed",
  UND_ERR_DESTROYED: () => "client destroyed",
  UND_ERR_ABORTED: () => "request aborted",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: () => "response shorter than its Content-Length",
  ECONNRESET: () => "connection reset",
  ECONNREFUSED: () => "connection refused",
  ENOTFOUND: () => "host not found",
  EAI_AGAIN: () => "DNS lookup failed",
  ETIMEDOUT: () => "connection timed out",
  EPIPE: () => "connection broken",
  EHOSTUNREACH: () => "host unreachable",
  ENETUNREACH: () => "network unreachable",
};

/** A human reason for a transport-level failure, or undefined when the error is not a network failure. */
export function describeNetworkFailure(err: unknown, timeoutMs: number): string | undefined {
  const code = err !== null && typeof err === "object" ? (err as { code?: unknown }).code : undefined;
  if (typeof code !== "string") return undefined;
  const known = NETWORK_REASONS[code];
  if (known) return `${known(timeoutMs)}: ${code}`;
  if (/^E[A-Z]+$/.test(code)) return `system error: ${code}`;
  return undefined;
}

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return null;
  if (contentType !== undefined && /\bjson\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function describeCall(req: ApiRequest): CallDescription {
  return {
    method: req.method,
    route: req.route,
    path: buildPath(req.route, req.params),
    project: req.params.id,
    ...(req.params.mirror_id !== undefined ? { mirrorId: req.params.mirror_id } : {}),
  };
}

function sendOnce(settings: TransportSettings): Attempt {
  const { apiUrl, token, dispatcher, options } = settings;
  return async (call, req) => {
    const query = req.query ? `?${new URLSearchParams(Object.entries(req.query).map(([k, v]): [string, string] => [k, String(v)]))}` : "";
    const headers: Record<string, string> = {
      "private-token": token,
      accept: "application/json",
      "user-agent": options.userAgent,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.body);
    }
    try {
      const res = await request(`${apiUrl}${call.path}${query}`, {
        method: req.method,
        headers,
        body,
        dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      const responseHeaders = normaliseHeaders(res.headers);
      const text = await res.body.text();
      return {
        kind: "response",
        response: { call, status: res.statusCode, headers: responseHeaders, body: parseBody(text, responseHeaders["content-type"]) },
      };
    } catch (err) {
      const reason = describeNetworkFailure(err, options.timeoutMs);
      if (reason === undefined) throw err;
      return { kind: "network", error: new NetworkError({ method: call.method, route: call.route, path: call.path, reason }, { cause: err }) };
    }
  };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function withHostLimiter(limiter: HostRateLimiter, options: ResolvedClientOptions, attempt: Attempt): Attempt {
  const clock = { now: options.now, sleep: options.sleep };
  return async (call, req) => {
    const release = await limiter.acquire(clock);
    try {
      const outcome = await attempt(call, req);
      if (outcome.kind === "response") {
        const { status, headers } = outcome.response;
        const now = options.now();
        if (status === 429) {
          const wait = rateLimitWaitMs(headers, now);
          if (wait !== undefined) limiter.pauseUntil(now + wait);
        } else if (isSuccess(status)) {
          limiter.observe(headers, now);
        }
      }
      return outcome;
    } finally {
      release();
    }
  };
}

function apiError(response: ApiResponse, token: string): GitLabApiError {
  const body = redactValue(response.body, [token]);
  const { call } = response;
  return new GitLabApiError({
    status: response.status,
    method: call.method,
    route: call.route,
    path: call.path,
    gitlabMessage: flattenGitLabMessage(body),
    body,
    project: call.project,
    ...(call.mirrorId !== undefined ? { mirrorId: call.mirrorId } : {}),
  });
}

function withRetry(settings: TransportSettings, attempt: Attempt): Transport {
  const { options, limiter, token } = settings;
  return async (req) => {
    const call = describeCall(req);
    const where = { method: call.method, route: call.route, path: call.path };
    for (let n = 1; ; n += 1) {
      // The host is paused for longer than this call may wait: fail now rather than sleep past the cap.
      const pausedFor = limiter.pausedUntil - options.now();
      if (pausedFor > options.maxDelayMs) {
        throw new RateLimitedError({ ...where, retries: n - 1, requestedDelayMs: pausedFor, maxDelayMs: options.maxDelayMs, gitlabMessage: "host paused after an earlier 429", body: null });
      }
      const outcome = await attempt(call, req);
      if (outcome.kind === "response" && isSuccess(outcome.response.status)) return outcome.response;

      const failure: Failure =
        outcome.kind === "network" ? { kind: "network" } : { kind: "status", status: outcome.response.status, headers: outcome.response.headers };
      const decision = decideRetry(failure, n, { ...options, idempotent: req.idempotent, now: options.now() });
      if (decision.retry) {
        await options.sleep(decision.delayMs);
        continue;
      }

      let error: GitLabMirrorsError;
      if (outcome.kind === "network") {
        error = outcome.error;
      } else if (outcome.response.status === 429) {
        const body = redactValue(outcome.response.body, [token]);
        throw new RateLimitedError({
          ...where,
          retries: n - 1,
          ...(decision.requestedDelayMs !== undefined ? { requestedDelayMs: decision.requestedDelayMs } : {}),
          maxDelayMs: options.maxDelayMs,
          gitlabMessage: flattenGitLabMessage(body),
          body,
        });
      } else {
        error = apiError(outcome.response, token);
      }
      if (decision.reason === "attempts-exhausted" && n > 1) {
        throw new RetriesExhaustedError({ ...where, attempts: n }, { cause: error });
      }
      throw error;
    }
  };
}

export function createTransport(settings: TransportSettings): Transport {
  return withRetry(settings, withHostLimiter(settings.limiter, settings.options, sendOnce(settings)));
}

/** Validates a 2xx body against its schema; a mismatch is GLM_ERR_UNEXPECTED_RESPONSE, never a crash later on. */
export function decodeBody<S extends z.ZodType>(schema: S, response: ApiResponse, token?: string): z.infer<S> {
  const result = schema.safeParse(response.body);
  if (result.success) return result.data;
  const { call } = response;
  throw new UnexpectedResponseError({
    method: call.method,
    route: call.route,
    path: call.path,
    status: response.status,
    issues: describeIssues(result.error).map((issue) => redactAll(issue, token ? [token] : [])),
  });
}
