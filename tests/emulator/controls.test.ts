/** The /-/emulator controls: counters, faults (errors, drops, latency, 429s, rate limits), targets, reset. */
import { ManualClock, type RunningEmulator } from "../../emulator";
import { apiClient, call, startTestEmulator, ROOT_TOKEN, ALICE_TOKEN } from "./helpers";

let emulator: RunningEmulator;
const api = apiClient(() => emulator);
const control = (method: string, path: string, json?: unknown) => call(emulator.baseUrl, method, `/-/emulator${path}`, { json });

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(async () => {
  await control("DELETE", "/faults");
});

describe("request counters", () => {
  it("count API requests by route template, unknown routes apart, and never control or git traffic", async () => {
    expect((await control("DELETE", "/counters")).status).toBe(204);
    await api("GET", "/projects/1/remote_mirrors", { token: ROOT_TOKEN });
    await api("GET", "/projects/demo%2Fapp/remote_mirrors/5", { token: ROOT_TOKEN });
    await api("GET", "/projects/1/remote_mirrors/6", { token: ROOT_TOKEN });
    await api("POST", "/projects/1/remote_mirrors/6/sync", { token: ROOT_TOKEN });
    await api("GET", "/nowhere", { token: ROOT_TOKEN });
    await api("PATCH", "/projects/1/remote_mirrors/6", { token: ROOT_TOKEN });
    await control("GET", "/faults");
    await fetch(`${emulator.baseUrl}/demo/app.git/info/refs?service=git-upload-pack`);
    const res = await control("GET", "/counters");
    expect([res.status, res.body]).toEqual([200, {
      total: 6,
      routes: {
        "GET /projects/:id/remote_mirrors": 1,
        "GET /projects/:id/remote_mirrors/:mirror_id": 2,
        "POST /projects/:id/remote_mirrors/:mirror_id/sync": 1,
        "GET unknown": 1,
        "PATCH unknown": 1,
      },
    }]);
    await control("DELETE", "/counters");
    expect((await control("GET", "/counters")).body).toEqual({ total: 0, routes: {} });
  });
});

describe("faults", () => {
  it("fail the next N matching requests with the given status, then stop", async () => {
    const set = await control("PUT", "/faults", { errors: { status: 500, count: 2 }, routes: ["GET /projects/:id"] });
    expect(set.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api("GET", "/projects/1", { token: ROOT_TOKEN })).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect((await api("GET", "/projects/1/remote_mirrors", { token: ROOT_TOKEN })).status).toBe(200);
  });

  it("answer injected errors with GitLab's message body", async () => {
    await control("PUT", "/faults", { errors: { status: 503, count: 1 } });
    const res = await api("GET", "/projects/1", { token: ROOT_TOKEN });
    expect([res.status, res.body]).toEqual([503, { message: "503 Service Unavailable" }]);
  });

  it("fail a seeded ratio of requests reproducibly", async () => {
    const run = async (): Promise<number[]> => {
      await control("PUT", "/faults", { errors: { status: 502, ratio: 0.5, seed: 42 } });
      const out: number[] = [];
      for (let i = 0; i < 20; i += 1) out.push((await api("GET", "/projects/1", { token: ROOT_TOKEN })).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((s) => s === 502).length).toBeGreaterThan(2);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(2);
  });

  it("drop connections without an answer", async () => {
    await control("PUT", "/faults", { drop: { count: 1 } });
    await expect(fetch(`${emulator.apiUrl}/projects/1`, { headers: { "PRIVATE-TOKEN": ROOT_TOKEN } })).rejects.toThrow();
    expect((await api("GET", "/projects/1", { token: ROOT_TOKEN })).status).toBe(200);
  });

  it("add latency", async () => {
    await control("PUT", "/faults", { latencyMs: 250 });
    const started = Date.now();
    expect((await api("GET", "/projects/1", { token: ROOT_TOKEN })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("answer a burst of 429s with Rack::Attack's headers and body", async () => {
    await control("PUT", "/faults", { tooManyRequests: { count: 1, retryAfterSeconds: 7 } });
    const res = await api("GET", "/projects/1", { token: ROOT_TOKEN });
    expect(res.status).toBe(429);
    expect(res.text).toBe("Retry later\n");
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("retry-after")).toBe("7");
    for (const header of ["ratelimit-name", "ratelimit-limit", "ratelimit-observed", "ratelimit-remaining", "ratelimit-reset", "ratelimit-resettime"]) {
      expect(res.headers.get(header)).not.toBeNull();
    }
    expect(res.headers.get("ratelimit-name")).toBe("throttle_authenticated_api");
    expect((await api("GET", "/projects/1", { token: ROOT_TOKEN })).status).toBe(200);
  });

  it("refuse configurations that are unbounded or malformed", async () => {
    for (const body of [{ errors: { status: 500 } }, { errors: { status: 200, count: 1 } }, { drop: { count: 1, ratio: 0.5 } }, { latencyMs: -1 }, { bogus: true }]) {
      const res = await control("PUT", "/faults", body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(typeof res.body.error).toBe("string");
    }
  });

  it("report and clear the current configuration", async () => {
    await control("PUT", "/faults", { errors: { status: 500, count: 3 } });
    expect((await control("GET", "/faults")).body).toEqual({ errors: { status: 500, count: 3 }, errorsState: { remaining: 3 } });
    expect((await control("DELETE", "/faults")).status).toBe(204);
    expect((await control("GET", "/faults")).body).toEqual({});
  });
});

describe("per-token rate limits on the injected clock", () => {
  let limited: RunningEmulator;
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 10));
  beforeAll(async () => {
    limited = await startTestEmulator({ clock });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("throttle a token over its limit until the window ends, leaving other tokens alone", async () => {
    const set = await call(limited.baseUrl, "PUT", "/-/emulator/faults", { json: { rateLimit: { limit: 2, windowSeconds: 60 } } });
    expect(set.status).toBe(200);
    const get = (token: string) => call(limited.apiUrl, "GET", "/projects/1", { token });
    const first = await get(ROOT_TOKEN);
    expect(first.status).toBe(200);
    // Admitted requests carry the quota left, as GitLab.com's answers do, so a client can pace itself.
    expect({
      limit: first.headers.get("ratelimit-limit"),
      observed: first.headers.get("ratelimit-observed"),
      remaining: first.headers.get("ratelimit-remaining"),
      reset: first.headers.get("ratelimit-reset"),
    }).toEqual({ limit: "2", observed: "1", remaining: "1", reset: String(Date.UTC(2026, 0, 1, 12, 1, 0) / 1000) });
    expect((await get(ROOT_TOKEN)).headers.get("ratelimit-remaining")).toBe("0");
    const throttled = await get(ROOT_TOKEN);
    expect(throttled.status).toBe(429);
    expect({
      name: throttled.headers.get("ratelimit-name"),
      limit: throttled.headers.get("ratelimit-limit"),
      observed: throttled.headers.get("ratelimit-observed"),
      remaining: throttled.headers.get("ratelimit-remaining"),
      reset: throttled.headers.get("ratelimit-reset"),
      resetTime: throttled.headers.get("ratelimit-resettime"),
      retryAfter: throttled.headers.get("retry-after"),
    }).toEqual({
      name: "throttle_authenticated_api",
      limit: "2",
      observed: "3",
      remaining: "0",
      reset: String(Date.UTC(2026, 0, 1, 12, 1, 0) / 1000),
      resetTime: new Date(Date.UTC(2026, 0, 1, 12, 1, 0)).toUTCString(),
      retryAfter: "50",
    });
    expect((await get(ALICE_TOKEN)).status).toBe(200);
    clock.advance(50_000);
    expect((await get(ROOT_TOKEN)).status).toBe(200);
  });
});

describe("targets", () => {
  it("creates a target at run time and refuses a duplicate path", async () => {
    const created = await control("POST", "/targets", { path: "extra/one", username: "u", password: "p4ssword" });
    expect([created.status, created.body]).toEqual([201, { url: `${emulator.baseUrl}/-/targets/extra/one.git` }]);
    const dup = await control("POST", "/targets", { path: "extra/one", username: "u", password: "p4ssword" });
    expect(dup.status).toBe(409);
    const bad = await control("POST", "/targets", { path: "../escape", username: "u", password: "p" });
    expect(bad.status).toBe(400);
  });

  it("serves the default seed's target with its credentials", async () => {
    const ok = await fetch(`${emulator.baseUrl}/-/targets/backup/app.git/info/refs?service=git-upload-pack`, {
      headers: { Authorization: `Basic ${Buffer.from("mirror-bot:emulator-target-password").toString("base64")}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/x-git-upload-pack-advertisement");
  });
});

describe("reset", () => {
  it("restores the seed: mirrors, counters, faults and run-time targets are gone", async () => {
    await api("POST", "/projects/1/remote_mirrors", { token: ROOT_TOKEN, json: { url: "https://m.example.com/reset.git" } });
    await control("POST", "/targets", { path: "extra/two", username: "u", password: "p4ssword" });
    await control("PUT", "/faults", { latencyMs: 1 });
    expect((await control("POST", "/reset")).status).toBe(204);
    expect((await api("GET", "/projects/1/remote_mirrors", { token: ROOT_TOKEN })).body).toEqual([]);
    expect((await control("GET", "/faults")).body).toEqual({});
    expect((await control("GET", "/counters")).body).toEqual({ total: 1, routes: { "GET /projects/:id/remote_mirrors": 1 } });
    const gone = await fetch(`${emulator.baseUrl}/-/targets/extra/two.git/info/refs?service=git-upload-pack`);
    expect(gone.status).toBe(404);
    const created = await api("POST", "/projects/1/remote_mirrors", { token: ROOT_TOKEN, json: { url: "https://m.example.com/reset.git" } });
    expect(created.body.id).toBe(1);
  });
});
