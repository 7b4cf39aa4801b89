/**
 * One limiter per GitLab API host, shared by every client of that host in the process. It caps concurrent
 * requests and, after a 429 (or a response saying the quota is spent), holds back ALL requests to the host
 * until the reset time, so a fleet of resources backs off together instead of hammering GitLab.
 * Time comes from the caller (its injected clock), so the limiter itself holds no timers.
 */
import { parseRateLimitReset } from "./retry";

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export type Release = () => void;

/** A slot, or the wait that would have exceeded the bound (the caller fails instead of sleeping). */
export type Admission = { admitted: true; release: Release } | { admitted: false; waitMs: number };

export class HostRateLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private resumeAt = 0;

  constructor(readonly maxConcurrent: number) {}

  /** Epoch ms before which no request to this host starts (0 when not paused). */
  get pausedUntil(): number {
    return this.resumeAt;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Hold every request to this host until `epochMs` (never shortens an existing pause). */
  pauseUntil(epochMs: number): void {
    if (epochMs > this.resumeAt) this.resumeAt = epochMs;
  }

  /** After a successful response: when GitLab says the quota is spent, wait for its reset before the next request. */
  observe(headers: Readonly<Record<string, string | undefined>>, now: number): void {
    if (headers["ratelimit-remaining"]?.trim() !== "0") return;
    const wait = parseRateLimitReset(headers["ratelimit-reset"], now);
    if (wait !== undefined && wait > 0) this.pauseUntil(now + wait);
  }

  /**
   * Waits out any pause and for a free slot; the caller must call the returned release exactly once.
   * A pause longer than `maxWaitMs` is not slept: the answer says how long it would have been. That
   * holds for callers already queued for a slot when a 429 arrives too, since each turn looks again.
   */
  async acquire(clock: Clock, maxWaitMs: number = Number.POSITIVE_INFINITY): Promise<Admission> {
    for (;;) {
      const wait = this.resumeAt - clock.now();
      if (wait > maxWaitMs) return { admitted: false, waitMs: wait };
      if (wait > 0) {
        await clock.sleep(wait);
        continue;
      }
      if (this.active < this.maxConcurrent) break;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.active -= 1;
      this.waiting.shift()?.();
    };
    return { admitted: true, release };
  }
}
