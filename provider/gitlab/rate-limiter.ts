/**
 * One limiter per GitLab API host, shared by every client of that host in the process. It caps concurrent
 * requests; it paces them so that the quota GitLab reports (`RateLimit-Remaining` until `RateLimit-Reset`)
 * lasts until the window ends, instead of spending it in a burst and meeting 429s; and after a 429 (or a
 * response saying the quota is spent) it holds back ALL requests to the host until the reset time, so a
 * fleet of resources backs off together instead of hammering GitLab. Every wait is bounded by the caller.
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
  /** Gap between request starts that spreads the reported quota over its window; 0 when none is known. */
  private spacingMs = 0;
  /** The earliest start not yet promised to a caller. */
  private nextStartAt = 0;

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

  /** The gap kept between request starts, from the last quota GitLab reported (0: not pacing). */
  get pacingMs(): number {
    return this.spacingMs;
  }

  /**
   * After a successful response: spread the quota left over the rest of its window, or, when GitLab
   * says it is spent, wait for its reset before the next request.
   */
  observe(headers: Readonly<Record<string, string | undefined>>, now: number): void {
    const remaining = Number(headers["ratelimit-remaining"]?.trim());
    const windowLeft = parseRateLimitReset(headers["ratelimit-reset"], now);
    if (!Number.isInteger(remaining) || remaining < 0 || windowLeft === undefined) {
      this.spacingMs = 0; // no quota reported (no throttle on this GitLab): nothing to spread
      return;
    }
    if (remaining === 0) {
      if (windowLeft > 0) this.pauseUntil(now + windowLeft);
      return;
    }
    this.spacingMs = windowLeft / remaining;
  }

  /**
   * Waits out any pause and for a free slot; the caller must call the returned release exactly once.
   * A pause longer than `maxWaitMs` is not slept: the answer says how long it would have been. That
   * holds for callers already queued for a slot when a 429 arrives too, since each turn looks again.
   */
  async acquire(clock: Clock, maxWaitMs: number = Number.POSITIVE_INFINITY): Promise<Admission> {
    let paced = false;
    for (;;) {
      const now = clock.now();
      const wait = this.resumeAt - now;
      if (wait > maxWaitMs) return { admitted: false, waitMs: wait };
      if (wait > 0) {
        await clock.sleep(wait);
        continue;
      }
      if (!paced && this.spacingMs > 0) {
        // Take the next start time in line, so concurrent callers space out behind each other.
        const startAt = Math.max(now, this.nextStartAt);
        if (startAt - now > maxWaitMs) return { admitted: false, waitMs: startAt - now };
        this.nextStartAt = startAt + this.spacingMs;
        paced = true;
        if (startAt > now) {
          await clock.sleep(startAt - now);
          continue;
        }
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
