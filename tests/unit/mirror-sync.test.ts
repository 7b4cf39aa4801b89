import type { GitLabClient, RemoteMirror } from "../../provider/gitlab";
import { MirrorListCache } from "../../provider/mirror/mirror-lists";
import { MirrorContext, ProjectIdCache } from "../../provider/mirror";
import { syncMirror } from "../../provider/mirror/sync";
import { redactAll } from "../../provider/redact";

const TOKEN = "glpat-sync-test-token";
const PASSWORD = "target-secret-pw";

function mirror(overrides: Partial<RemoteMirror>): RemoteMirror {
  return {
    id: 7,
    enabled: true,
    url: "https://*****:*****@git.example.com/app.git",
    updateStatus: "finished",
    lastUpdateAt: null,
    lastUpdateStartedAt: "2026-01-01T00:00:00.000Z",
    lastSuccessfulUpdateAt: null,
    lastError: null,
    onlyProtectedBranches: false,
    keepDivergentRefs: null,
    authMethod: "password",
    hostKeys: [],
    ...overrides,
  };
}

/** GitLab as a script: each GET returns the next state (the last one repeats); time moves only in sleep. */
function scripted(states: RemoteMirror[]) {
  let now = 1_000_000;
  const calls: string[] = [];
  const lines: string[] = [];
  const remoteMirrors = {
    sync: async () => {
      calls.push("sync");
    },
    get: async () => {
      calls.push("get");
      return states.length > 1 ? states.shift()! : states[0];
    },
  };
  const ctx: MirrorContext = {
    client: { apiUrl: "http://gitlab.test/api/v4", projects: {}, remoteMirrors, withSecrets() { return this; } } as unknown as GitLabClient,
    token: TOKEN,
    logger: { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m) },
    projectIds: new ProjectIdCache(),
    mirrorLists: new MirrorListCache(),
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
    pollIntervalMs: 1_000,
  };
  const target = { projectId: 1, mirrorId: 7, label: "demo/app", scrub: (t: string) => redactAll(t, [TOKEN, PASSWORD]) };
  return { ctx, target, calls, lines, elapsed: () => now - 1_000_000 };
}

const BEFORE = mirror({ updateStatus: "finished", lastUpdateStartedAt: "2026-01-01T00:00:00.000Z" });
const LATER = "2026-01-01T00:10:00.000Z";

describe("syncMirror (POST …/sync, then wait)", () => {
  it("waits past the previous run's finished state until the new run finishes", async () => {
    const { ctx, target, calls, lines } = scripted([
      BEFORE,
      mirror({ updateStatus: "started", lastUpdateStartedAt: LATER }),
      mirror({ updateStatus: "to_retry", lastUpdateStartedAt: LATER }),
      mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER, lastSuccessfulUpdateAt: LATER }),
    ]);
    const result = await syncMirror(ctx, target, BEFORE, 60);
    expect(result.lastSuccessfulUpdateAt).toBe(LATER);
    expect(calls).toEqual(["sync", "get", "get", "get", "get"]);
    expect(lines).toEqual([
      "demo/app: requested a sync of mirror 7",
      "demo/app: mirror 7 update_status started",
      "demo/app: mirror 7 update_status to_retry",
      "demo/app: mirror 7 update_status finished",
      "demo/app: mirror 7 finished syncing",
    ]);
  });

  it("does not mistake an earlier failure for the result of this sync", async () => {
    const oldFailure = mirror({ updateStatus: "failed", lastError: "old" });
    const { ctx, target } = scripted([oldFailure, mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER })]);
    await expect(syncMirror(ctx, target, oldFailure, 60)).resolves.toMatchObject({ updateStatus: "finished" });
  });

  it("accepts the end of a run that was already going (GitLab does not start another)", async () => {
    const running = mirror({ updateStatus: "started" });
    const { ctx, target } = scripted([mirror({ updateStatus: "finished" })]);
    await expect(syncMirror(ctx, target, running, 60)).resolves.toMatchObject({ updateStatus: "finished" });
  });

  it("fails with GLM_ERR_SYNC_FAILED and GitLab's last_error, scrubbed of URL credentials, token and password", async () => {
    const lastError = `push to https://bot:${PASSWORD}@git.example.com/app.git failed; token ${TOKEN}; pw ${PASSWORD}`;
    const { ctx, target } = scripted([mirror({ updateStatus: "failed", lastUpdateStartedAt: LATER, lastError })]);
    const err = (await syncMirror(ctx, target, BEFORE, 60).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: "GLM_ERR_SYNC_FAILED", mirrorId: 7 });
    expect(err.message).toBe(
      'Sync of mirror 7 on project demo/app failed (GitLab: "push to https://*****:*****@git.example.com/app.git failed; token *****; pw *****"). Check the mirror URL\'s credentials or SSH key and host keys, and that the target accepts pushes.',
    );
  });

  it("gives up with GLM_ERR_SYNC_TIMEOUT once the bound has passed (injected time)", async () => {
    const { ctx, target, calls, elapsed } = scripted([BEFORE]);
    const err = await syncMirror(ctx, target, BEFORE, 5).catch((e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: "GLM_ERR_SYNC_TIMEOUT", timeoutSeconds: 5, lastStatus: "finished" });
    expect((err as Error).message).toBe(
      'Sync of mirror 7 on project demo/app did not finish within syncTimeoutSeconds (5 s; last update_status: "finished"). ' +
        "GitLab defers repeated syncs by minutes: raise syncTimeoutSeconds, or set waitForSync: false to ask for the sync without waiting for it.",
    );
    expect(elapsed()).toBe(5_000);
    // One GET right away, then after 250 ms, 500 ms, then once per second (the interval) up to the bound.
    expect(calls.filter((c) => c === "get")).toHaveLength(8);
  });
});

/** GitLab whose mirror state is a function of the time since the sync was asked (injected clock). */
function timed(stateAt: (elapsedMs: number) => RemoteMirror, pollIntervalMs: number) {
  const script = scripted([BEFORE]);
  const gets: number[] = [];
  (script.ctx.client.remoteMirrors as unknown as { get: () => Promise<RemoteMirror> }).get = async () => {
    gets.push(script.elapsed());
    return stateAt(script.elapsed());
  };
  script.ctx.pollIntervalMs = pollIntervalMs;
  return { ...script, gets };
}

describe("syncMirror: a fast sync is seen fast, a long one says so", () => {
  it("a push that takes 0.2 s is seen finished after 0.25 s, not after the 5 s poll interval", async () => {
    const { ctx, target, elapsed, gets } = timed(
      (t) => (t < 200 ? mirror({ updateStatus: "started", lastUpdateStartedAt: LATER }) : mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER })),
      5_000,
    );
    await syncMirror(ctx, target, BEFORE, 300);
    expect(gets).toEqual([0, 250]);
    expect(elapsed()).toBe(250);
  });

  it("polls at 250 ms, 500 ms, 1 s, 2 s, 4 s, then every poll interval", async () => {
    const { ctx, target, gets } = timed((t) => (t < 20_000 ? BEFORE : mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER })), 5_000);
    await syncMirror(ctx, target, BEFORE, 300);
    // Gaps: 250, 500, 1000, 2000, 4000, then 5000, but never past the next 10 s progress line.
    expect(gets).toEqual([0, 250, 750, 1750, 3750, 7750, 10_000, 15_000, 20_000]);
  });

  it("a sync GitLab defers, then runs for a while, gets a line at least every 10 s on its mirror", async () => {
    const { ctx, target, lines } = timed((t) => {
      if (t < 25_000) return BEFORE;
      if (t < 47_000) return mirror({ updateStatus: "started", lastUpdateStartedAt: LATER });
      return mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER });
    }, 5_000);
    await syncMirror(ctx, target, BEFORE, 300);
    expect(lines).toEqual([
      "demo/app: requested a sync of mirror 7",
      "demo/app: mirror 7: GitLab has not started the push yet (asked 10 s ago; it may defer a sync by minutes); waiting at most 290 s more (syncTimeoutSeconds)",
      "demo/app: mirror 7: GitLab has not started the push yet (asked 20 s ago; it may defer a sync by minutes); waiting at most 280 s more (syncTimeoutSeconds)",
      "demo/app: mirror 7 update_status started",
      "demo/app: mirror 7: GitLab is still pushing (started 5 s ago); waiting at most 270 s more (syncTimeoutSeconds)",
      "demo/app: mirror 7: GitLab is still pushing (started 15 s ago); waiting at most 260 s more (syncTimeoutSeconds)",
      "demo/app: mirror 7 update_status finished",
      "demo/app: mirror 7 finished syncing",
    ]);
  });

  it("with a poll interval above 10 s, the lines still come every 10 s", async () => {
    const { ctx, target, lines, gets } = timed((t) => (t < 31_000 ? BEFORE : mirror({ updateStatus: "finished", lastUpdateStartedAt: LATER })), 60_000);
    await syncMirror(ctx, target, BEFORE, 300);
    expect(lines.filter((l) => l.includes("has not started"))).toHaveLength(3);
    expect(gets.slice(-4)).toEqual([10_000, 20_000, 30_000, 40_000]);
  });
});
