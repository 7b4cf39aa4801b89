/**
 * The request function every resource module calls. Composition, done once per client:
 *
 *   withRetry( withHostLimiter( sendOnce ) )
 *
 * `sendOnce` is one undici request (PRIVATE-TOKEN, JSON, timeouts, an overall deadline, a bounded body)
 * that reports a response or a network failure; the host limiter holds a slot per attempt, pauses the
 * whole host after a 429 and refuses to wait longer than the cap; the retry
 * wrapper asks the pure `decideRetry` what to do and maps the final failure to the error catalogue,
 * redacting the token and URL credentials from everything it puts in an error.
 * Resource calls never loop or sleep themselves.
 */
import type { Dispatcher } from "undici";
import type { z } from "zod";
import {
  GitLabApiError,
  NetworkError,
  RateLimitedError,
  RetriesExhaustedError,
  UnexpectedResponseError,
  type GitLabMirrorsError,
} from "../errors";
import type { SettingNames } from "../connection-settings";
import { redactAll, redactValue } from "../redact";
import { gitlabMessageOf } from "./error-body";
import { deadlineFailure, describeNetworkFailure, type FailureContext, type NetworkFailure } from "./network-failure";
import type { ResolvedClientOptions } from "./options";
import { buildPath, type Route, type RouteParams } from "./path";
import type { HostRateLimiter } from "./rate-limiter";
import { readBounded } from "./response-body";
import { secondsText, sleepReporting } from "./wait-report";
import { decideRetry, rateLimitWaitMs, type Failure } from "./retry";
import { describeIssues } from "./schemas";
import { undici } from "./undici";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface ApiRequest {
  method: HttpMethod;
  route: Route;
  params: RouteParams;
  query?: Readonly<Record<string, string | number>>;
  body?: Readonly<Record<string, unknown>>;
  /** Safe to repeat after a 5xx or a network failure (a 429 is always retried). */
  idempotent: boolean;
  /** Secrets the request carries besides the token (a mirror URL's password): masked in every error. */
  secrets?: readonly string[];
}

export interface CallDescription {
  method: HttpMethod;
  route: Route;
  path: string;
  project: RouteParams["id"];
  mirrorId?: number;
  /** The token and the request's own secrets: what an error about this call must never show. */
  secrets: readonly string[];
  /** How the user names the connection settings an error about this call may point at. */
  settingNames: SettingNames;
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

type Outcome = { kind: "response"; response: ApiResponse } | { kind: "network"; error: NetworkError; unsendable: boolean };
/** One attempt; `budgetMs` is what is left of the whole call's time, and cuts the attempt short. */
type Attempt = (call: CallDescription, req: ApiRequest, budgetMs: number) => Promise<Outcome>;

export interface TransportSettings {
  apiUrl: string;
  token: string;
  dispatcher: Dispatcher;
  limiter: HostRateLimiter;
  options: ResolvedClientOptions;
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

function describeCall(req: ApiRequest, token: string, settingNames: SettingNames): CallDescription {
  return {
    method: req.method,
    route: req.route,
    path: buildPath(req.route, req.params),
    project: req.params.id,
    ...(req.params.mirror_id !== undefined ? { mirrorId: req.params.mirror_id } : {}),
    secrets: [token, ...(req.secrets ?? [])],
    settingNames,
  };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function networkError(call: CallDescription, origin: string, failure: NetworkFailure, cause: unknown): NetworkError {
  return new NetworkError({ method: call.method, route: call.route, path: call.path, origin, settingNames: call.settingNames, ...failure }, { cause });
}

function sendOnce(settings: TransportSettings): Attempt {
  const { apiUrl, token, dispatcher, options } = settings;
  const { origin, pathname: apiPath } = new URL(apiUrl);
  return async (call, req, budgetMs) => {
    const failureContext: FailureContext = {
      origin,
      baseUrlName: options.settingNames.baseUrl.name,
      timeoutMs: options.timeoutMs,
      attemptTimeoutMs: Math.max(1, Math.min(options.attemptTimeoutMs, budgetMs)),
    };
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
    // headersTimeout and bodyTimeout restart with every byte; this bounds the attempt as a whole.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), failureContext.attemptTimeoutMs);
    timer.unref();
    let status: number;
    let responseHeaders: Record<string, string | undefined>;
    let read: { text: string; truncated: boolean };
    try {
      const res = await undici().request(dispatcher, {
        origin,
        path: `${apiPath}${call.path}${query}`,
        method: req.method,
        headers,
        body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: deadline.signal,
      });
      status = res.statusCode;
      responseHeaders = normaliseHeaders(res.headers);
      read = await readBounded(res.body, options.maxResponseBytes);
    } catch (err) {
      const failure = deadline.signal.aborted ? deadlineFailure(failureContext) : describeNetworkFailure(err, failureContext);
      return { kind: "network", error: networkError(call, failureContext.origin, failure, err), unsendable: failure.unsendable === true };
    } finally {
      clearTimeout(timer);
    }
    if (read.truncated && isSuccess(status)) {
      throw new UnexpectedResponseError({
        method: call.method,
        route: call.route,
        path: call.path,
        status,
        settingNames: call.settingNames,
        issues: [`(root): the body is larger than ${options.maxResponseBytes} bytes, far more than GitLab sends for this call`],
      });
    }
    // An error body cut short is kept as text: only its first few hundred characters are shown.
    const parsed = read.truncated ? read.text : parseBody(read.text, responseHeaders["content-type"]);
    return { kind: "response", response: { call, status, headers: responseHeaders, body: parsed } };
  };
}

function withHostLimiter(limiter: HostRateLimiter, options: ResolvedClientOptions, attempt: Attempt): Attempt {
  return async (call, req, budgetMs) => {
    // The limiter's pauses (GitLab's quota, an earlier 429) are said every 10 s too.
    const clock = {
      now: options.now,
      sleep: (ms: number) =>
        sleepReporting(options.sleep, ms, options.onWait && ((waited, total) =>
          options.onWait?.(`${call.method} ${call.path}: held back by GitLab's rate limit (${secondsText(waited)} s of ${secondsText(total)} s)`))),
    };
    const asked = options.now();
    const admission = await limiter.acquire(clock, options.maxDelayMs);
    const waited = options.now() - asked;
    if (waited >= 1000 && admission.admitted) {
      options.onWait?.(
        `${call.method} ${call.path} waited ${(waited / 1000).toFixed(1)} s before it was sent: GitLab's rate limit or ` +
          `its pacing, or all ${options.maxConnectionsPerHost} connections busy (never more than ${options.maxDelayMs / 1000} s per wait)`,
      );
    }
    if (!admission.admitted) {
      // The host is paused (an earlier 429) for longer than any call may wait: fail now, unsent.
      throw new RateLimitedError({
        method: call.method,
        route: call.route,
        path: call.path,
        sent: false,
        retries: 0,
        requestedDelayMs: admission.waitMs,
        maxDelayMs: options.maxDelayMs,
        gitlabMessage: "",
        body: null,
      });
    }
    try {
      const outcome = await attempt(call, req, budgetMs - (options.now() - asked));
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
      admission.release();
    }
  };
}

function apiError(response: ApiResponse): GitLabApiError {
  const { call } = response;
  return new GitLabApiError({
    status: response.status,
    method: call.method,
    route: call.route,
    path: call.path,
    gitlabMessage: gitlabMessageOf(response.body, call.secrets),
    body: redactValue(response.body, call.secrets),
    project: call.project,
    ...(call.mirrorId !== undefined ? { mirrorId: call.mirrorId } : {}),
    settingNames: call.settingNames,
  });
}

function withRetry(settings: TransportSettings, attempt: Attempt): Transport {
  const { options, token } = settings;
  return async (req) => {
    const call = describeCall(req, token, options.settingNames);
    const where = { method: call.method, route: call.route, path: call.path };
    const started = options.now();
    for (let n = 1; ; n += 1) {
      const outcome = await attempt(call, req, options.callTimeoutMs - (options.now() - started));
      if (outcome.kind === "response" && isSuccess(outcome.response.status)) return outcome.response;

      const failure: Failure =
        outcome.kind === "network"
          ? { kind: outcome.unsendable ? "unsendable" : "network" }
          : { kind: "status", status: outcome.response.status, headers: outcome.response.headers };
      const now = options.now();
      const decision = decideRetry(failure, n, { ...options, idempotent: req.idempotent, now, elapsedMs: now - started });
      if (decision.retry) {
        // Said when it happens (an unreachable GitLab is known at the first refusal), then every 10 s of the wait.
        const why = outcome.kind === "network" ? outcome.error.reason : `GitLab answered ${outcome.response.status}`;
        options.onWait?.(
          `${call.method} ${call.path}: attempt ${n} failed (${why}); trying again in ${secondsText(decision.delayMs)} s ` +
            `(attempt ${n + 1} of at most ${options.maxRetries + 1})`,
        );
        await sleepReporting(options.sleep, decision.delayMs, options.onWait && ((waited, total) =>
          options.onWait?.(`${call.method} ${call.path}: still waiting to try again (${secondsText(waited)} s of ${secondsText(total)} s)`)));
        continue;
      }

      let error: GitLabMirrorsError;
      if (outcome.kind === "network") {
        error = outcome.error;
      } else if (outcome.response.status === 429) {
        throw new RateLimitedError({
          ...where,
          sent: true,
          retries: n - 1,
          ...(decision.requestedDelayMs !== undefined ? { requestedDelayMs: decision.requestedDelayMs } : {}),
          maxDelayMs: options.maxDelayMs,
          gitlabMessage: gitlabMessageOf(outcome.response.body, call.secrets),
          body: redactValue(outcome.response.body, call.secrets),
        });
      } else {
        error = apiError(outcome.response);
      }
      if (decision.reason === "call-deadline") {
        throw new RetriesExhaustedError({ ...where, attempts: n, elapsedMs: now - started, callTimeoutMs: options.callTimeoutMs }, { cause: error });
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
export function decodeBody<S extends z.ZodType>(schema: S, response: ApiResponse): z.infer<S> {
  const result = schema.safeParse(response.body);
  if (result.success) return result.data;
  const { call } = response;
  throw new UnexpectedResponseError({
    method: call.method,
    route: call.route,
    path: call.path,
    status: response.status,
    settingNames: call.settingNames,
    issues: describeIssues(result.error).map((issue) => redactAll(issue, call.secrets)),
  });
}
