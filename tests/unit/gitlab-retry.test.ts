import { backoffMs, decideRetry, parseRateLimitReset, parseRetryAfter, type Failure, type RetryOptions } from "../../provider/gitlab/retry";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const NOW_S = NOW / 1000;
const base: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000, idempotent: true, now: NOW, random: () => 0.5 };
const status = (code: number, headers: Record<string, string> = {}): Failure => ({ kind: "status", status: code, headers });
const network: Failure = { kind: "network" };

describe("decideRetry", () => {
  it.each<[string, Failure, number, Partial<RetryOptions>, ReturnType<typeof decideRetry>]>([
    // 429: always retried (nothing happened on GitLab), waiting what GitLab asks
    ["429 Retry-After seconds", status(429, { "retry-after": "7" }), 1, {}, { retry: true, delayMs: 7000 }],
    ["429 Retry-After 0", status(429, { "retry-after": "0" }), 1, {}, { retry: true, delayMs: 0 }],
    ["429 Retry-After HTTP date", status(429, { "retry-after": new Date(NOW + 9000).toUTCString() }), 1, {}, { retry: true, delayMs: 9000 }],
    ["429 Retry-After date in the past", status(429, { "retry-after": new Date(NOW - 9000).toUTCString() }), 1, {}, { retry: true, delayMs: 0 }],
    ["429 RateLimit-Reset", status(429, { "ratelimit-reset": String(NOW_S + 5) }), 1, {}, { retry: true, delayMs: 5000 }],
    ["429 Retry-After wins over RateLimit-Reset", status(429, { "retry-after": "2", "ratelimit-reset": String(NOW_S + 5) }), 1, {}, { retry: true, delayMs: 2000 }],
    ["429 unreadable Retry-After falls back to RateLimit-Reset", status(429, { "retry-after": "soon", "ratelimit-reset": String(NOW_S + 3) }), 1, {}, { retry: true, delayMs: 3000 }],
    ["429 without headers backs off", status(429), 2, {}, { retry: true, delayMs: 100 }],
    ["429 on a non-idempotent POST", status(429, { "retry-after": "1" }), 1, { idempotent: false }, { retry: true, delayMs: 1000 }],
    ["429 asking above the cap", status(429, { "retry-after": "11" }), 1, {}, { retry: false, reason: "delay-above-cap", requestedDelayMs: 11_000 }],
    ["429 reset above the cap", status(429, { "ratelimit-reset": String(NOW_S + 3600) }), 1, {}, { retry: false, reason: "delay-above-cap", requestedDelayMs: 3_600_000 }],
    ["429 at the cap exactly", status(429, { "retry-after": "10" }), 1, {}, { retry: true, delayMs: 10_000 }],
    ["429 after maxRetries retries", status(429, { "retry-after": "1" }), 4, {}, { retry: false, reason: "attempts-exhausted" }],
    ["429 on the last allowed retry", status(429, { "retry-after": "1" }), 3, {}, { retry: true, delayMs: 1000 }],
    // 5xx and network: idempotent calls only, full-jitter backoff
    ["500 GET", status(500), 1, {}, { retry: true, delayMs: 50 }],
    ["502 attempt 3", status(502), 3, {}, { retry: true, delayMs: 200 }],
    ["503", status(503), 1, {}, { retry: true, delayMs: 50 }],
    ["504", status(504), 1, {}, { retry: true, delayMs: 50 }],
    ["501 is not retried", status(501), 1, {}, { retry: false, reason: "not-retryable" }],
    ["network GET", network, 1, {}, { retry: true, delayMs: 50 }],
    ["500 POST create", status(500), 1, { idempotent: false }, { retry: false, reason: "not-retryable" }],
    ["network POST create", network, 1, { idempotent: false }, { retry: false, reason: "not-retryable" }],
    ["502 after maxRetries retries", status(502), 4, {}, { retry: false, reason: "attempts-exhausted" }],
    ["maxRetries 0", status(502), 1, { maxRetries: 0 }, { retry: false, reason: "attempts-exhausted" }],
    // Regression (issue 21, item 10): the whole call is bounded, not only each attempt
    ["502 with time left", status(502), 1, { elapsedMs: 1_000, callTimeoutMs: 5_000 }, { retry: true, delayMs: 50 }],
    ["502 when the wait would end past the call's bound", status(502), 1, { elapsedMs: 4_990, callTimeoutMs: 5_000 }, { retry: false, reason: "call-deadline" }],
    ["network when the call's time is up", network, 2, { elapsedMs: 5_000, callTimeoutMs: 5_000 }, { retry: false, reason: "call-deadline" }],
    ["429 whose Retry-After ends past the call's bound", status(429, { "retry-after": "7" }), 1, { elapsedMs: 0, callTimeoutMs: 5_000 }, { retry: false, reason: "call-deadline" }],
    ["not-retryable stays not-retryable at the bound", status(400), 1, { elapsedMs: 5_000, callTimeoutMs: 5_000 }, { retry: false, reason: "not-retryable" }],
    ["a request the HTTP client refused to send", { kind: "unsendable" }, 1, {}, { retry: false, reason: "not-retryable" }],
    // client errors are never retried
    ["400", status(400), 1, {}, { retry: false, reason: "not-retryable" }],
    ["401", status(401), 1, {}, { retry: false, reason: "not-retryable" }],
    ["403", status(403), 1, {}, { retry: false, reason: "not-retryable" }],
    ["404", status(404), 1, {}, { retry: false, reason: "not-retryable" }],
    ["409", status(409), 1, {}, { retry: false, reason: "not-retryable" }],
  ])("%s (attempt %#)", (_name, failure, attempt, overrides, expected) => {
    expect(decideRetry(failure, attempt, { ...base, ...overrides })).toEqual(expected);
  });
});

describe("backoffMs (full jitter)", () => {
  it.each<[number, number, number]>([
    // attempt, random(), expected
    [1, 0, 0],
    [1, 0.999, 99],
    [2, 0.999, 199],
    [3, 0.5, 200],
    [10, 0.999, 9990], // ceiling capped at maxDelayMs
    [60, 0.5, 5000], // huge exponents stay capped
  ])("attempt %i with random %p -> %i ms", (attempt, r, expected) => {
    expect(backoffMs(attempt, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => r })).toBe(expected);
  });

  it("stays within [0, min(maxDelayMs, base * 2^(attempt-1))) for any random in [0, 1)", () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(10_000, 100 * 2 ** (attempt - 1));
      for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.9999999]) {
        const delay = backoffMs(attempt, { baseDelayMs: 100, maxDelayMs: 10_000, random: () => r });
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});

describe("header parsing", () => {
  it.each<[string | undefined, number | undefined]>([
    ["3", 3000],
    [" 3 ", 3000],
    ["Thu, 01 Jan 2026 12:00:04 GMT", 4000],
    ["garbage", undefined],
    ["-5", undefined],
    [undefined, undefined],
  ])("Retry-After %j -> %j ms", (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each<[string | undefined, number | undefined]>([
    [String(NOW_S + 60), 60_000],
    [String(NOW_S - 60), 0],
    ["1.5", undefined],
    [undefined, undefined],
  ])("RateLimit-Reset %j -> %j ms", (value, expected) => {
    expect(parseRateLimitReset(value, NOW)).toBe(expected);
  });
});
