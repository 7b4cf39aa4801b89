/**
 * Time is injected: the store stamps records with `now()`, and the mirror scheduler waits with
 * `setTimeout`, so tests can drive GitLab's back-off windows without sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    const timer = setTimeout(fn, Math.max(0, delayMs));
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
});

interface PendingTimer {
  dueAt: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Zero-delay timers still run on the next tick, so work
 * that GitLab would start at once (an immediate sync) does not wait for `advance`.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly pending: PendingTimer[] = [];

  constructor(start: number = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    if (delayMs <= 0) {
      const immediate = setImmediate(fn);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timer: PendingTimer = { dueAt: this.current + delayMs, fn, cancelled: false };
    this.pending.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Moves time forward and fires every timer that has come due, in due order. */
  advance(ms: number): void {
    this.current += ms;
    const due = this.pending
      .filter((t) => !t.cancelled && t.dueAt <= this.current)
      .sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) {
      this.pending.splice(this.pending.indexOf(timer), 1);
      timer.fn();
    }
  }

  /** Number of timers waiting for `advance`. */
  get pendingCount(): number {
    return this.pending.filter((t) => !t.cancelled).length;
  }
}
