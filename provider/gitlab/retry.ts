/**
 * The retry decision, kept pure so it can be read and tested as a table: given what went wrong on the
 * n-th attempt, retry after how long, or stop. The transport does the waiting; nothing here sleeps.
 *
 * - 429 is retried for every call (GitLab rejected the request, so nothing happened), waiting what
 *   `Retry-After` (seconds or HTTP date) or `RateLimit-Reset` (unix seconds) asks; a wait above the cap stops.
 * - 5xx (except 501) and network failures are retried only for idempotent calls, with full-jitter
 *   exponential backoff: a uniform wait in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))).
 */

export type Failure =
  | { kind: "status"; status: number; headers: Readonly<Record<string, string | undefined>> }
  | { kind: "network" }
  /** The request could not be sent as built: nothing reached GitLab, and nothing will. */
  | { kind: "unsendable" };

export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Safe to repeat: GET, PUT, DELETE and the sync POST; not the create POST. */
  idempotent: boolean;
  /** Epoch ms, to turn an HTTP date or a reset time into a wait. */
  now: number;
  /** In [0, 1). */
  random: () => number;
  /** How long the call has taken so far, all attempts and waits (ms). */
  elapsedMs?: number;
  /** The most the whole call may take, all attempts and waits (ms); no retry would end past it. */
  callTimeoutMs?: number;
}

export type StopReason = "not-retryable" | "attempts-exhausted" | "delay-above-cap" | "call-deadline";

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: StopReason; requestedDelayMs?: number };

/** `Retry-After` as a wait in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only something shaped like an HTTP date (it names a day or month): Date.parse also accepts "-5".
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `RateLimit-Reset` (unix seconds, as GitLab sends it) as a wait in ms. */
export function parseRateLimitReset(value: string | undefined, now: number): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Math.max(0, Number(value.trim()) * 1000 - now);
}

/** What a 429 asks us to wait, from its headers; undefined when it says nothing usable. */
export function rateLimitWaitMs(headers: Readonly<Record<string, string | undefined>>, now: number): number | undefined {
  return parseRetryAfter(headers["retry-after"], now) ?? parseRateLimitReset(headers["ratelimit-reset"], now);
}

export function backoffMs(attempt: number, options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "random">): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(options.random() * ceiling);
}

function isRetryableStatus(status: number): boolean {
  return status >= 500 && status !== 501;
}

/** `attempt` is the number of the attempt that just failed, starting at 1. */
export function decideRetry(failure: Failure, attempt: number, options: RetryOptions): RetryDecision {
  const decision = decideByFailure(failure, attempt, options);
  // A retry that would only start once the call's time is up is no retry.
  if (decision.retry && options.callTimeoutMs !== undefined && (options.elapsedMs ?? 0) + decision.delayMs >= options.callTimeoutMs) {
    return { retry: false, reason: "call-deadline" };
  }
  return decision;
}

function decideByFailure(failure: Failure, attempt: number, options: RetryOptions): RetryDecision {
  if (failure.kind === "status" && failure.status === 429) {
    const requested = rateLimitWaitMs(failure.headers, options.now);
    if (requested !== undefined && requested > options.maxDelayMs) {
      return { retry: false, reason: "delay-above-cap", requestedDelayMs: requested };
    }
    if (attempt > options.maxRetries) return { retry: false, reason: "attempts-exhausted" };
    return { retry: true, delayMs: requested ?? backoffMs(attempt, options) };
  }
  if (failure.kind === "unsendable") return { retry: false, reason: "not-retryable" };
  const retryable = failure.kind === "network" || isRetryableStatus(failure.status);
  if (!retryable || !options.idempotent) return { retry: false, reason: "not-retryable" };
  if (attempt > options.maxRetries) return { retry: false, reason: "attempts-exhausted" };
  return { retry: true, delayMs: backoffMs(attempt, options) };
}
