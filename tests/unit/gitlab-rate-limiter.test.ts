import { HostRateLimiter, type Admission, type Clock, type Release } from "../../provider/gitlab/rate-limiter";

const START = Date.UTC(2026, 0, 1);

function recordingClock(): Clock & { sleeps: number[] } {
  let now = START;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

function admitted(admission: Admission): Release {
  if (!admission.admitted) throw new Error(`expected a slot, was refused a wait of ${admission.waitMs} ms`);
  return admission.release;
}

describe("HostRateLimiter", () => {
  it("lets maxConcurrent requests in and queues the rest until a slot is released", async () => {
    const limiter = new HostRateLimiter(2);
    const clock = recordingClock();
    const first = admitted(await limiter.acquire(clock));
    await limiter.acquire(clock);
    let thirdIn = false;
    const third = limiter.acquire(clock).then((admission) => {
      thirdIn = true;
      return admitted(admission);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdIn).toBe(false);
    expect(limiter.inFlight).toBe(2);
    first();
    first(); // releasing twice frees one slot only
    (await third)();
    expect(thirdIn).toBe(true);
    expect(limiter.inFlight).toBe(1);
  });

  it("after pauseUntil, every acquire waits out the pause before starting", async () => {
    const limiter = new HostRateLimiter(5);
    const clock = recordingClock();
    limiter.pauseUntil(START + 30_000);
    admitted(await limiter.acquire(clock))();
    expect(clock.sleeps).toEqual([30_000]);
    admitted(await limiter.acquire(clock))();
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("refuses, without sleeping, a pause longer than the caller's bound", async () => {
    const limiter = new HostRateLimiter(5);
    const clock = recordingClock();
    limiter.pauseUntil(START + 100_000_000);
    expect(await limiter.acquire(clock, 60_000)).toEqual({ admitted: false, waitMs: 100_000_000 });
    expect(clock.sleeps).toEqual([]);
    expect(limiter.inFlight).toBe(0);
  });

  // Regression (issue 10, item 9): a caller queued for a slot when a 429 arrived slept its full Retry-After.
  it("a caller queued for a slot when the host is paused is refused too, not put to sleep", async () => {
    const limiter = new HostRateLimiter(1);
    const clock = recordingClock();
    const first = admitted(await limiter.acquire(clock, 60_000));
    const queued = limiter.acquire(clock, 60_000);
    limiter.pauseUntil(START + 100_000_000); // the first call's answer was a 429 asking for 27 hours
    first();
    expect(await queued).toEqual({ admitted: false, waitMs: 100_000_000 });
    expect(clock.sleeps).toEqual([]);
  });

  it("never shortens an existing pause", () => {
    const limiter = new HostRateLimiter(1);
    limiter.pauseUntil(START + 30_000);
    limiter.pauseUntil(START + 5_000);
    expect(limiter.pausedUntil).toBe(START + 30_000);
  });

  it.each<[Record<string, string>, number]>([
    [{ "ratelimit-remaining": "0", "ratelimit-reset": String(START / 1000 + 12) }, START + 12_000],
    [{ "ratelimit-remaining": "1", "ratelimit-reset": String(START / 1000 + 12) }, 0],
    [{ "ratelimit-remaining": "0" }, 0],
    [{}, 0],
  ])("observe(%j) pauses until %i", (headers, pausedUntil) => {
    const limiter = new HostRateLimiter(1);
    limiter.observe(headers, START);
    expect(limiter.pausedUntil).toBe(pausedUntil);
  });
});

describe("HostRateLimiter pacing by the quota GitLab reports", () => {
  const quota = (remaining: number, resetInSeconds: number) => ({
    "ratelimit-remaining": String(remaining),
    "ratelimit-reset": String((START + resetInSeconds * 1000) / 1000),
  });

  it("spreads the quota left over the rest of its window, one start per gap", async () => {
    const limiter = new HostRateLimiter(10);
    const clock = recordingClock();
    limiter.observe(quota(10, 20), START);
    expect(limiter.pacingMs).toBe(2000);
    // Where each caller's wait ends, in virtual time: its start.
    const starts: number[] = [];
    const timed: Clock = {
      now: clock.now,
      sleep: (ms) => {
        starts.push(clock.now() + ms - START);
        return clock.sleep(ms);
      },
    };
    await Promise.all([1, 2, 3].map(async () => admitted(await limiter.acquire(timed))()));
    expect([0, ...starts]).toEqual([0, 2000, 4000]);
  });

  it("paces nothing when GitLab reports no quota (no throttle configured)", async () => {
    const limiter = new HostRateLimiter(10);
    const clock = recordingClock();
    limiter.observe(quota(10, 20), START);
    limiter.observe({}, START);
    expect(limiter.pacingMs).toBe(0);
    for (let i = 0; i < 3; i += 1) admitted(await limiter.acquire(clock))();
    expect(clock.sleeps).toEqual([]);
  });

  it("refuses a place in line further away than the caller may wait", async () => {
    const limiter = new HostRateLimiter(10);
    const clock = recordingClock();
    limiter.observe(quota(1, 30), START);
    admitted(await limiter.acquire(clock, 5000))();
    expect(await limiter.acquire({ ...clock, sleep: async () => undefined }, 5000)).toEqual({ admitted: false, waitMs: 30_000 });
  });

  it("a spent quota still pauses the host until the reset", async () => {
    const limiter = new HostRateLimiter(10);
    limiter.observe(quota(0, 30), START);
    expect(limiter.pausedUntil).toBe(START + 30_000);
  });
});
