import { HostRateLimiter, type Clock } from "../../provider/gitlab/rate-limiter";

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

describe("HostRateLimiter", () => {
  it("lets maxConcurrent requests in and queues the rest until a slot is released", async () => {
    const limiter = new HostRateLimiter(2);
    const clock = recordingClock();
    const first = await limiter.acquire(clock);
    await limiter.acquire(clock);
    let thirdIn = false;
    const third = limiter.acquire(clock).then((release) => {
      thirdIn = true;
      return release;
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
    (await limiter.acquire(clock))();
    expect(clock.sleeps).toEqual([30_000]);
    (await limiter.acquire(clock))();
    expect(clock.sleeps).toEqual([30_000]);
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
