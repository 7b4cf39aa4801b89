/**
 * Fault injection for tests and benchmarks (not a GitLab API). Every fault is bounded: a count
 * of affected requests, or a ratio drawn from a seeded generator so a run is reproducible.
 * Rate limits use fixed windows on the injected clock and answer like Rack::Attack.
 */
import { z } from "zod";
import type { Clock } from "../clock";

const selectionShape = {
  count: z.number().int().min(1).max(100_000).optional(),
  ratio: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
};
const exactlyOne = (s: { count?: number; ratio?: number }) => (s.count === undefined) !== (s.ratio === undefined);
const ONE_OF = "give exactly one of count or ratio";
const selection = z.strictObject(selectionShape).refine(exactlyOne, ONE_OF);

export const faultConfigSchema = z.strictObject({
  /** Route keys as in the counters (`POST /projects/:id/remote_mirrors`); default every API route. */
  routes: z.array(z.string().min(1)).optional(),
  latencyMs: z.number().int().min(0).max(30_000).optional(),
  errors: z.strictObject({ status: z.number().int().min(400).max(599), ...selectionShape }).refine(exactlyOne, ONE_OF).optional(),
  drop: selection.optional(),
  /** The next `count` requests get a 429 with `Retry-After: retryAfterSeconds`. */
  tooManyRequests: z.strictObject({ count: z.number().int().min(1).max(100_000), retryAfterSeconds: z.number().int().min(0).max(3600).optional() }).optional(),
  /** Per token (anonymous callers share one bucket): at most `limit` requests per window. */
  rateLimit: z.strictObject({ limit: z.number().int().min(0).max(1_000_000), windowSeconds: z.number().int().min(1).max(86_400) }).optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;

export type FaultDecision =
  | { kind: "pass"; headers?: Record<string, string> }
  | { kind: "drop" }
  | { kind: "error"; status: number }
  | { kind: "throttle"; headers: Record<string, string> };

/** mulberry32: small, seedable, good enough to spread faults evenly. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Selector {
  private remaining: number | undefined;
  private readonly random: (() => number) | undefined;
  constructor(private readonly spec: { count?: number; ratio?: number; seed?: number }) {
    this.remaining = spec.count;
    this.random = spec.ratio === undefined ? undefined : generator(spec.seed ?? 1);
  }
  hit(): boolean {
    if (this.remaining !== undefined) {
      if (this.remaining <= 0) return false;
      this.remaining -= 1;
      return true;
    }
    return this.random !== undefined && this.random() < (this.spec.ratio ?? 0);
  }
  state(): Record<string, unknown> {
    return this.remaining !== undefined ? { remaining: this.remaining } : { ratio: this.spec.ratio };
  }
}

export class Faults {
  private config: FaultConfig = {};
  private errorSelector: Selector | undefined;
  private dropSelector: Selector | undefined;
  private throttleRemaining = 0;
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  set(config: FaultConfig): void {
    this.config = config;
    this.errorSelector = config.errors ? new Selector(config.errors) : undefined;
    this.dropSelector = config.drop ? new Selector(config.drop) : undefined;
    this.throttleRemaining = config.tooManyRequests?.count ?? 0;
    this.windows.clear();
  }

  clear(): void {
    this.set({});
  }

  describe(): Record<string, unknown> {
    return {
      ...this.config,
      ...(this.errorSelector ? { errorsState: this.errorSelector.state() } : {}),
      ...(this.dropSelector ? { dropState: this.dropSelector.state() } : {}),
      ...(this.config.tooManyRequests ? { tooManyRequestsRemaining: this.throttleRemaining } : {}),
    };
  }

  private applies(routeKey: string): boolean {
    return !this.config.routes || this.config.routes.includes(routeKey);
  }

  latencyFor(routeKey: string): number {
    return this.applies(routeKey) ? (this.config.latencyMs ?? 0) : 0;
  }

  /** Decides what happens to one API request. `bucket` identifies the caller for rate limits. */
  decide(routeKey: string, bucket: string, authenticated: boolean): FaultDecision {
    if (!this.applies(routeKey)) return { kind: "pass" };
    if (this.dropSelector?.hit()) return { kind: "drop" };
    const limit = this.config.rateLimit;
    let quota: Record<string, string> | undefined;
    if (limit) {
      const nowMs = this.clock.now();
      const periodMs = limit.windowSeconds * 1000;
      const start = Math.floor(nowMs / periodMs) * periodMs;
      const window = this.windows.get(bucket);
      const current = window && window.start === start ? window : { start, count: 0 };
      current.count += 1;
      this.windows.set(bucket, current);
      if (current.count > limit.limit) {
        const resetMs = start + periodMs;
        return {
          kind: "throttle",
          headers: throttleHeaders(authenticated, Math.ceil((limit.limit * 60) / limit.windowSeconds), current.count, nowMs, resetMs),
        };
      }
      // GitLab.com answers every request with the quota left, so clients can pace themselves.
      quota = quotaHeaders(limit.limit, current.count, start + periodMs);
    }
    if (this.throttleRemaining > 0) {
      this.throttleRemaining -= 1;
      const nowMs = this.clock.now();
      const retryAfter = this.config.tooManyRequests?.retryAfterSeconds ?? 1;
      return { kind: "throttle", headers: throttleHeaders(authenticated, 0, 1, nowMs, nowMs + retryAfter * 1000) };
    }
    if (this.errorSelector?.hit()) return { kind: "error", status: this.config.errors!.status };
    return quota === undefined ? { kind: "pass" } : { kind: "pass", headers: quota };
  }
}

/** The RateLimit-* headers of an admitted request: the window's limit, what it used, what is left, its end. */
function quotaHeaders(limit: number, observed: number, resetMs: number): Record<string, string> {
  const resetSeconds = Math.ceil(resetMs / 1000);
  return {
    "RateLimit-Limit": String(limit),
    "RateLimit-Observed": String(observed),
    "RateLimit-Remaining": String(Math.max(0, limit - observed)),
    "RateLimit-Reset": String(resetSeconds),
    "RateLimit-ResetTime": new Date(resetSeconds * 1000).toUTCString(),
  };
}

/** Rack::Attack's throttle headers as GitLab sets them (lib/gitlab/rack_attack.rb). */
function throttleHeaders(authenticated: boolean, perMinuteLimit: number, observed: number, nowMs: number, resetMs: number): Record<string, string> {
  const retryAfter = Math.max(0, Math.ceil((resetMs - nowMs) / 1000));
  const resetSeconds = Math.floor(nowMs / 1000) + retryAfter;
  return {
    "RateLimit-Name": authenticated ? "throttle_authenticated_api" : "throttle_unauthenticated_api",
    "RateLimit-Limit": String(perMinuteLimit),
    "RateLimit-Observed": String(observed),
    "RateLimit-Remaining": "0",
    "RateLimit-Reset": String(resetSeconds),
    "RateLimit-ResetTime": new Date(resetSeconds * 1000).toUTCString(),
    "Retry-After": String(retryAfter),
  };
}
