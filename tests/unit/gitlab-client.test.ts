import type { Agent } from "undici";
import { hasCode, isAmbiguousFailure, isMirrorNotFound, isProjectNotFound } from "../../provider/errors";
import { closeAll, createGitLabClient, gitlabClientFor, type ClientOptions, type GitLabClient } from "../../provider/gitlab";
import { limiterFor } from "../../provider/gitlab/pool";
import { FakeGitLab, fakeClock, mirrorEntity, testAgent } from "./gitlab-fake-server";

const TOKEN = "glpat-Sup3r/Secret+Token=";
const ENCODED_TOKEN = encodeURIComponent(TOKEN);

let fake: FakeGitLab;
let agent: Agent;
let clock: ReturnType<typeof fakeClock>;

beforeEach(async () => {
  fake = await FakeGitLab.start();
  agent = testAgent();
  clock = fakeClock();
});

afterEach(async () => {
  await agent.close();
  await fake.close();
  await closeAll();
});

function client(options: Partial<ClientOptions> = {}, token = TOKEN): GitLabClient {
  return createGitLabClient(
    { baseUrl: fake.origin, token },
    { dispatcher: agent, now: clock.now, sleep: clock.sleep, random: () => 0.5, maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000, timeoutMs: 2_000, ...options },
  );
}

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

/** Polls the event loop until a condition holds; bounded so a broken limiter fails instead of hanging. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition never held");
}

describe("GET /projects/:id", () => {
  it("sends the full path URL-encoded with PRIVATE-TOKEN and maps the project", async () => {
    fake.on("GET", "/projects/group%2Fsub%2Fapp", { status: 200, json: { id: 42, path_with_namespace: "group/sub/app", default_branch: "main", name: "app" } });
    const project = await client().projects.get("group/sub/app");
    expect(project).toEqual({ id: 42, pathWithNamespace: "group/sub/app", defaultBranch: "main" });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].path).toBe("/api/v4/projects/group%2Fsub%2Fapp");
    expect(fake.requests[0].headers["private-token"]).toBe(TOKEN);
    expect(fake.requests[0].headers["user-agent"]).toBe("gitlab-mirrors");
  });

  it("maps an empty repository's null default_branch", async () => {
    fake.on("GET", "/projects/42", { status: 200, json: { id: 42, path_with_namespace: "g/app", default_branch: null } });
    expect(await client().projects.get(42)).toEqual({ id: 42, pathWithNamespace: "g/app", defaultBranch: null });
  });

  it("404 Project Not Found is a project 404, not a mirror 404, and says what to check", async () => {
    fake.on("GET", "/projects/g%2Fmissing", { status: 404, json: { message: "404 Project Not Found" } });
    const err = await failure(client().projects.get("g/missing"));
    expect(err.code).toBe("GLM_ERR_GITLAB_API");
    expect(err.name).toBe("GitLabApiError");
    expect(err.message).toBe(
      'GET /projects/g%2Fmissing failed: 404 Not Found (GitLab: "404 Project Not Found"). ' +
        "Check the project path or id, and that the token's user can see project g/missing (GitLab answers 404 for projects it hides).",
    );
    expect(isProjectNotFound(err)).toBe(true);
    expect(isMirrorNotFound(err)).toBe(false);
  });

  it("a 301 for a moved project is reported, not followed, with what to do", async () => {
    fake.on("GET", "/projects/old%2Fapp", { status: 301, headers: { location: `${fake.apiUrl}/projects/42` } });
    const err = await failure(client().projects.get("old/app"));
    expect(err.message).toBe(
      'GET /projects/old%2Fapp failed: 301 Moved Permanently (GitLab: ""). GitLab redirected the request, which it does when project old/app was renamed or moved; use the numeric project id or the new path.',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it("answers a 200 that is not GitLab's (a login page) with GLM_ERR_UNEXPECTED_RESPONSE", async () => {
    fake.on("GET", "/projects/42", { status: 200, text: "<html>Sign in</html>", headers: { "content-type": "text/html" } });
    const err = await failure(client().projects.get(42));
    expect(err.code).toBe("GLM_ERR_UNEXPECTED_RESPONSE");
    expect(err.message).toMatch(/^GET \/projects\/42 answered 200 with a body that is not GitLab's \/projects\/:id response \(\(root\): /);
    expect(err.message).toContain("gitlab:baseUrl");
  });
});

describe("GET /projects/:id/remote_mirrors", () => {
  it("follows X-Next-Page across 3 pages with per_page=100", async () => {
    const page = (n: number, next: string) => ({
      status: 200,
      json: [mirrorEntity({ id: n * 10 + 1 }), mirrorEntity({ id: n * 10 + 2 })],
      headers: { "x-next-page": next, "x-page": String(n), "x-per-page": "100" },
    });
    fake.on("GET", "/projects/42/remote_mirrors", (req) => page(Number(req.query.get("page")), { "1": "2", "2": "3", "3": "" }[req.query.get("page") ?? ""] ?? ""));
    const mirrors = await client().remoteMirrors.list(42);
    expect(mirrors.map((m) => m.id)).toEqual([11, 12, 21, 22, 31, 32]);
    expect(fake.requests.map((r) => r.query.toString())).toEqual(["per_page=100&page=1", "per_page=100&page=2", "per_page=100&page=3"]);
  });

  it("returns [] for a project without mirrors", async () => {
    fake.on("GET", "/projects/42/remote_mirrors", { status: 200, json: [], headers: { "x-next-page": "" } });
    expect(await client().remoteMirrors.list(42)).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("GET /projects/:id/remote_mirrors/:mirror_id", () => {
  it("maps every field of an EE entity to camelCase", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", {
      status: 200,
      json: mirrorEntity({
        update_status: "failed",
        last_error: "push failed",
        keep_divergent_refs: null,
        auth_method: "ssh_public_key",
        host_keys: [{ fingerprint_sha256: "SHA256:abc" }],
        mirror_branch_regex: "release/.*",
        unknown_future_field: 1,
      }),
    });
    expect(await client().remoteMirrors.get(42, 7)).toEqual({
      id: 7,
      enabled: true,
      url: "https://*****:*****@example.com/group/target.git",
      updateStatus: "failed",
      lastUpdateAt: "2026-01-06T17:32:02.823Z",
      lastUpdateStartedAt: "2026-01-06T17:32:01.100Z",
      lastSuccessfulUpdateAt: "2026-01-06T17:32:02.823Z",
      lastError: "push failed",
      onlyProtectedBranches: false,
      keepDivergentRefs: null,
      authMethod: "ssh_public_key",
      hostKeys: [{ fingerprintSha256: "SHA256:abc" }],
      mirrorBranchRegex: "release/.*",
    });
  });

  it("leaves mirrorBranchRegex undefined on CE, which does not return the field", async () => {
    const { mirror_branch_regex: _absent, ...ce } = mirrorEntity({ url: null });
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 200, json: ce });
    const mirror = await client().remoteMirrors.get(42, 7);
    expect("mirrorBranchRegex" in mirror).toBe(false);
    expect(mirror.url).toBeNull();
  });

  it("404 Not found is a mirror 404 naming the mirror and project", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/9", { status: 404, json: { message: "404 Not found" } });
    const err = await failure(client().remoteMirrors.get(42, 9));
    expect(err.message).toBe(
      'GET /projects/42/remote_mirrors/9 failed: 404 Not Found (GitLab: "404 Not found"). Mirror 9 does not exist in project 42; it may have been deleted outside Pulumi.',
    );
    expect(err.route).toBe("/projects/:id/remote_mirrors/:mirror_id");
    expect(isMirrorNotFound(err)).toBe(true);
    expect(isProjectNotFound(err)).toBe(false);
  });

  // Regression (issue 11, item 9): refresh and destroy use the token saved with the provider, so after a
  // rotation they failed with 401 and nothing said how to use the new token.
  it("401 says to check the token and the Maintainer role, and how refresh and destroy pick up a rotated token", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 401, json: { message: "401 Unauthorized" } });
    const err = await failure(client().remoteMirrors.get(42, 7));
    expect(err.message).toBe(
      'GET /projects/42/remote_mirrors/7 failed: 401 Unauthorized (GitLab: "401 Unauthorized"). ' +
        "Check that the token is valid and not expired, and that its user has the Maintainer role on project 42 (GitLab answers 401 for a missing role). " +
        "If the token was rotated, set the new one (run `pulumi config set --secret gitlab:token <token>`), then run " +
        "pulumi refresh --run-program (or pulumi destroy --run-program) or pulumi up: without --run-program, refresh and " +
        "destroy use the token saved with the stack's provider when the program last ran.",
    );
    expect(err.status).toBe(401);
    expect(isAmbiguousFailure(err)).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it("rejects a mirror id that is not a positive integer before any request", async () => {
    const err = await failure(client().remoteMirrors.get(42, 1.5));
    expect(err.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(err.message).toBe("Invalid input mirrorId: must be a positive integer, got 1.5");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("GET /projects/:id/remote_mirrors/:mirror_id/public_key", () => {
  it("returns the public key", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7/public_key", { status: 200, json: { public_key: "ssh-rsa AAAAB3Nza git@gitlab.example.com" } });
    expect(await client().remoteMirrors.publicKey(42, 7)).toBe("ssh-rsa AAAAB3Nza git@gitlab.example.com");
  });
});

describe("POST /projects/:id/remote_mirrors", () => {
  it("sends only the given keys in snake_case and maps the 201 entity", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", { status: 201, json: mirrorEntity({ id: 12, update_status: "none", keep_divergent_refs: null }) });
    const mirror = await client().remoteMirrors.create(42, {
      url: "https://user:pw@example.com/t.git",
      enabled: true,
      onlyProtectedBranches: false,
      hostKeys: ["example.com ssh-ed25519 AAAAC3Nz"],
    });
    expect(fake.requests[0].body).toEqual({
      url: "https://user:pw@example.com/t.git",
      enabled: true,
      only_protected_branches: false,
      host_keys: ["example.com ssh-ed25519 AAAAC3Nz"],
    });
    expect(fake.requests[0].headers["content-type"]).toBe("application/json");
    expect(mirror.id).toBe(12);
    expect(mirror.keepDivergentRefs).toBeNull();
  });

  it("maps a validation error hash to one line and masks the echoed URL's credentials", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", {
      status: 400,
      json: { message: { url: ["is blocked: Only allowed schemes are http, https, ssh, git"], base: ["Maximum number of push mirrors (10) exceeded for this project."] } },
    });
    const err = await failure(client().remoteMirrors.create(42, { url: "ftp://u:hunter2@example.com/t.git" }));
    expect(err.gitlabMessage).toBe("url is blocked: Only allowed schemes are http, https, ssh, git; Maximum number of push mirrors (10) exceeded for this project.");
    expect(err.message).toBe(
      'POST /projects/42/remote_mirrors failed: 400 Bad Request (GitLab: "url is blocked: Only allowed schemes are http, https, ssh, git; Maximum number of push mirrors (10) exceeded for this project."). ' +
        "GitLab rejected the request; correct the input it names and try again.",
    );
  });

  it("maps Grape's {error} shape", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", { status: 400, json: { error: "auth_method does not have a valid value" } });
    const err = await failure(client().remoteMirrors.create(42, { url: "https://example.com/t.git" }));
    expect(err.gitlabMessage).toBe("auth_method does not have a valid value");
  });

  it("403 insufficient_scope says the token needs the api scope", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", {
      status: 403,
      json: { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api" },
    });
    const err = await failure(client().remoteMirrors.create(42, { url: "https://example.com/t.git" }));
    expect(err.message).toBe(
      'POST /projects/42/remote_mirrors failed: 403 Forbidden (GitLab: "insufficient_scope: The request requires higher privileges than provided by the access token."). ' +
        "Check that the token has the api scope (read_api cannot change mirrors) and that its user is not blocked.",
    );
  });

  it("is NOT retried on a 500: the mirror may exist, so the failure is ambiguous", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", { status: 500, json: { message: "500 Internal Server Error" } });
    const err = await failure(client().remoteMirrors.create(42, { url: "https://example.com/t.git" }));
    expect(fake.requests).toHaveLength(1);
    expect(err.code).toBe("GLM_ERR_GITLAB_API");
    expect(err.status).toBe(500);
    expect(isAmbiguousFailure(err)).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it("is NOT retried on a connection reset", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", { destroy: true });
    const err = await failure(client().remoteMirrors.create(42, { url: "https://example.com/t.git" }));
    expect(fake.requests).toHaveLength(1);
    expect(err.code).toBe("GLM_ERR_NETWORK");
    expect(err.name).toBe("NetworkError");
    expect(err.message).toBe(
      `POST /projects/42/remote_mirrors failed: connection closed by the other side (UND_ERR_SOCKET), talking to ${fake.origin}. ` +
        "The request may or may not have reached GitLab. Check that GitLab is reachable from here and run the command again.",
    );
    expect(isAmbiguousFailure(err)).toBe(true);
  });

  it("IS retried on a 429, waiting what Retry-After asks", async () => {
    fake.on(
      "POST",
      "/projects/42/remote_mirrors",
      { status: 429, text: "Retry later\n", headers: { "retry-after": "2", "ratelimit-remaining": "0" } },
      { status: 201, json: mirrorEntity({ id: 13 }) },
    );
    const mirror = await client().remoteMirrors.create(42, { url: "https://example.com/t.git" });
    expect(mirror.id).toBe(13);
    expect(fake.seen("POST")).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
  });
});

describe("PUT /projects/:id/remote_mirrors/:mirror_id", () => {
  it("sends only the changed keys", async () => {
    fake.on("PUT", "/projects/42/remote_mirrors/7", { status: 200, json: mirrorEntity({ enabled: false }) });
    const attrs = { enabled: false, mirrorBranchRegex: null, keepDivergentRefs: undefined, url: "https://ignored.example.com" };
    const mirror = await client().remoteMirrors.update(42, 7, attrs as never);
    expect(fake.requests[0].body).toEqual({ enabled: false, mirror_branch_regex: null });
    expect(mirror.enabled).toBe(false);
  });

  it("sends an empty object when nothing changed", async () => {
    fake.on("PUT", "/projects/42/remote_mirrors/7", { status: 200, json: mirrorEntity() });
    await client().remoteMirrors.update(42, 7, {});
    expect(fake.requests[0].body).toEqual({});
  });
});

describe("POST /projects/:id/remote_mirrors/:mirror_id/sync", () => {
  it("resolves on 204 with no body", async () => {
    fake.on("POST", "/projects/42/remote_mirrors/7/sync", { status: 204 });
    await expect(client().remoteMirrors.sync(42, 7)).resolves.toBeUndefined();
    expect(fake.requests[0].body).toBe("");
  });

  it("reports a disabled mirror's 400 with GitLab's message", async () => {
    const message = "Cannot proceed with the push mirroring. Please verify your mirror configuration.";
    fake.on("POST", "/projects/42/remote_mirrors/7/sync", { status: 400, json: { message } });
    const err = await failure(client().remoteMirrors.sync(42, 7));
    expect(err.gitlabMessage).toBe(message);
  });

  it("is retried on a 503 (repeating a sync is safe)", async () => {
    fake.on("POST", "/projects/42/remote_mirrors/7/sync", { status: 503, text: "unavailable" }, { status: 204 });
    await client().remoteMirrors.sync(42, 7);
    expect(fake.requests).toHaveLength(2);
  });
});

describe("DELETE /projects/:id/remote_mirrors/:mirror_id", () => {
  it("resolves on 204", async () => {
    fake.on("DELETE", "/projects/g%2Fapp/remote_mirrors/7", { status: 204 });
    await expect(client().remoteMirrors.remove("g/app", 7)).resolves.toBeUndefined();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /api/v4/projects/g%2Fapp/remote_mirrors/7"]);
  });

  it("404 Not found is recognisable as already gone", async () => {
    fake.on("DELETE", "/projects/42/remote_mirrors/7", { status: 404, json: { message: "404 Not found" } });
    expect(isMirrorNotFound(await failure(client().remoteMirrors.remove(42, 7)))).toBe(true);
  });
});

describe("retries", () => {
  it("GET is retried on 502 then succeeds; the server saw 3 requests and the waits were jittered backoff", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 502, text: "Bad Gateway" }, { status: 502, text: "Bad Gateway" }, { status: 200, json: mirrorEntity() });
    const mirror = await client().remoteMirrors.get(42, 7);
    expect(mirror.id).toBe(7);
    expect(fake.requests).toHaveLength(3);
    // random() = 0.5, base 100: attempt 1 waits 0.5 * 100, attempt 2 waits 0.5 * 200.
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("GET that keeps failing with 502 ends in GLM_ERR_RETRIES_EXHAUSTED with the last 502 as cause", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 502, json: { message: "502 Bad Gateway" } });
    const err = await failure(client({ maxRetries: 2 }).remoteMirrors.get(42, 7));
    expect(fake.requests).toHaveLength(3);
    expect(err.code).toBe("GLM_ERR_RETRIES_EXHAUSTED");
    expect(err.name).toBe("RetriesExhaustedError");
    expect(err.message).toBe(
      'GET /projects/42/remote_mirrors/7 failed after 3 attempts; last error: GET /projects/42/remote_mirrors/7 failed: 502 Bad Gateway (GitLab: "502 Bad Gateway"). ' +
        "GitLab had a server error; the request may or may not have taken effect. Try again later.",
    );
    expect(hasCode(err.cause, "GLM_ERR_GITLAB_API")).toBe(true);
    expect(isAmbiguousFailure(err)).toBe(true);
  });

  it("a 429 that keeps coming ends in GLM_ERR_RATE_LIMITED after maxRetries retries (text/plain body)", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 429, text: "Retry later\n", headers: { "retry-after": "1" } });
    const err = await failure(client({ maxRetries: 2 }).remoteMirrors.get(42, 7));
    expect(fake.requests).toHaveLength(3);
    expect(err.code).toBe("GLM_ERR_RATE_LIMITED");
    expect(err.name).toBe("RateLimitedError");
    expect(err.gitlabMessage).toBe("Retry later");
    expect(err.message).toBe(
      'GET /projects/42/remote_mirrors/7 failed: 429 Too Many Requests (GitLab: "Retry later"); still rate limited after 2 retries. ' +
        "Lower the parallelism (pulumi up --parallel N) or ask the GitLab admin about the API rate limit, then run the command again.",
    );
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it("a 429 asking for longer than maxDelayMs stops at once with GLM_ERR_RATE_LIMITED", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { status: 429, text: "Retry later\n", headers: { "retry-after": "3600" } });
    const err = await failure(client().remoteMirrors.get(42, 7));
    expect(fake.requests).toHaveLength(1);
    expect(err.code).toBe("GLM_ERR_RATE_LIMITED");
    // Regression (issue 11, item 12): it advised raising maxDelayMs, which no user can set.
    expect(err.message).toBe(
      'GET /projects/42/remote_mirrors/7 failed: 429 Too Many Requests (GitLab: "Retry later"); GitLab asked to wait 3600 s, longer than the 10 s this provider waits at most. ' +
        "Lower the parallelism (pulumi up --parallel N) or ask the GitLab admin about the API rate limit, then run the command again.",
    );
    expect(clock.sleeps).toEqual([]);
  });

  it("honours RateLimit-Reset when there is no Retry-After", async () => {
    const reset = Math.floor(clock.now() / 1000) + 4;
    fake.on("GET", "/projects/42", { status: 429, text: "Retry later\n", headers: { "ratelimit-reset": String(reset) } }, { status: 200, json: { id: 42, path_with_namespace: "g/a" } });
    await client().projects.get(42);
    // One 4 s wait: the retry's own; the host pause it set has passed by then.
    expect(clock.sleeps).toEqual([4000]);
  });
});

describe("network failures", () => {
  it("a server that never answers times out as GLM_ERR_NETWORK", async () => {
    fake.on("GET", "/projects/42/remote_mirrors/7", { hang: true });
    const err = await failure(client({ timeoutMs: 300, maxRetries: 0 }).remoteMirrors.get(42, 7));
    expect(err.code).toBe("GLM_ERR_NETWORK");
    expect(err.message).toBe(
      `GET /projects/42/remote_mirrors/7 failed: no response headers within 300 ms (UND_ERR_HEADERS_TIMEOUT), talking to ${fake.origin}. ` +
        "The request may or may not have reached GitLab. Check that GitLab is reachable from here and run the command again.",
    );
    expect((err.cause as { code?: string }).code).toBe("UND_ERR_HEADERS_TIMEOUT");
  });

  it("a refused connection is GLM_ERR_NETWORK, retried for GET then exhausted", async () => {
    const origin = fake.origin;
    await fake.close();
    const c = createGitLabClient({ baseUrl: origin, token: TOKEN }, { dispatcher: agent, sleep: clock.sleep, random: () => 0, maxRetries: 1 });
    const err = await failure(c.remoteMirrors.get(42, 7));
    expect(err.code).toBe("GLM_ERR_RETRIES_EXHAUSTED");
    expect(hasCode(err.cause, "GLM_ERR_NETWORK")).toBe(true);
    expect(err.message).toContain("connection refused");
    fake = await FakeGitLab.start(); // afterEach closes it
  });
});

describe("the host rate limiter", () => {
  it("paces requests by the quota GitLab reports, and says so when a request waited a second or more", async () => {
    const reset = String(Math.floor(clock.now() / 1000) + 6);
    fake.on("GET", "/projects/7", { status: 200, json: { id: 7, path_with_namespace: "g/seven" }, headers: { "ratelimit-remaining": "2", "ratelimit-reset": reset } });
    const waits: string[] = [];
    const paced = client({ onWait: (message) => waits.push(message) });
    await paced.projects.get(7);
    await paced.projects.get(7);
    await paced.projects.get(7);
    expect(fake.seen("GET")).toHaveLength(3);
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(waits[0]).toMatch(/^GET \/projects\/7 waited \d+\.\d s before it was sent: GitLab's rate limit or its pacing, or all 10 connections busy \(never more than 10 s per wait\)$/);
  });

  it("after a 429 pauses ALL requests to that host, from every client, until the reset", async () => {
    const sleeps: number[] = [];
    const pending: (() => void)[] = [];
    let now = Date.UTC(2026, 0, 1);
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        pending.push(() => {
          now += ms;
          resolve();
        });
      });
    const options = { dispatcher: agent, now: () => now, sleep, random: () => 0.5 };
    const a = createGitLabClient({ baseUrl: fake.origin, token: "token-a" }, options);
    const b = createGitLabClient({ baseUrl: `${fake.origin}/api/v4/`, token: "token-b" }, options);
    fake.on("GET", "/projects/1", { status: 429, text: "Retry later\n", headers: { "retry-after": "30" } }, { status: 200, json: { id: 1, path_with_namespace: "g/one" } });
    fake.on("GET", "/projects/2", { status: 200, json: { id: 2, path_with_namespace: "g/two" } });

    const first = a.projects.get(1);
    await waitFor(() => sleeps.length === 1); // a is waiting out its 429
    const second = b.projects.get(2);
    await waitFor(() => sleeps.length === 2); // b is held back by the host pause

    expect(fake.requests.map((r) => r.path)).toEqual(["/api/v4/projects/1"]);
    expect(sleeps).toEqual([30_000, 30_000]);

    pending.splice(0).forEach((wake) => wake());
    await expect(first).resolves.toMatchObject({ id: 1 });
    await expect(second).resolves.toMatchObject({ id: 2 });
    expect(fake.requests).toHaveLength(3);
  });

  it("waits for RateLimit-Reset before the next request once RateLimit-Remaining hits 0", async () => {
    const reset = Math.floor(clock.now() / 1000) + 20;
    fake.on("GET", "/projects/42", { status: 200, json: { id: 42, path_with_namespace: "g/a" }, headers: { "ratelimit-remaining": "0", "ratelimit-reset": String(reset) } });
    const c = client({ maxDelayMs: 60_000 });
    await c.projects.get(42);
    expect(clock.sleeps).toEqual([]);
    await c.projects.get(42);
    expect(clock.sleeps).toEqual([20_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it("a host pause longer than maxDelayMs fails the next call without sending it", async () => {
    limiterFor(`${fake.origin}/api/v4`, 10).pauseUntil(clock.now() + 3_600_000);
    const err = await failure(client().projects.get(42));
    expect(err.code).toBe("GLM_ERR_RATE_LIMITED");
    expect(fake.requests).toHaveLength(0);
  });

  it("caps concurrent requests per host at maxConnectionsPerHost", async () => {
    fake.on("GET", "/projects/42", { status: 200, json: { id: 42, path_with_namespace: "g/a" }, delayMs: 20 });
    const c = createGitLabClient({ baseUrl: fake.origin, token: TOKEN }, { dispatcher: agent, maxConnectionsPerHost: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.projects.get(42)));
    expect(fake.requests).toHaveLength(6);
    expect(fake.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("gitlabClientFor shares one limiter per API URL, whatever form the base URL takes", () => {
    const one = gitlabClientFor({ baseUrl: "https://gitlab.example.com", token: "t1" });
    const two = gitlabClientFor({ baseUrl: "https://GitLab.example.com/api/v4/", token: "t2" });
    expect(one.apiUrl).toBe("https://gitlab.example.com/api/v4");
    expect(two.apiUrl).toBe(one.apiUrl);
    // One entry for both forms: the limiter the first created is the one the second gets, whatever cap it asks for.
    expect(limiterFor(two.apiUrl, 99)).toBe(limiterFor("https://gitlab.example.com/api/v4", 1));
  });
});

describe("createGitLabClient", () => {
  it("fails at construction naming a bad option", () => {
    expect(() => createGitLabClient({ baseUrl: fake.origin, token: TOKEN }, { timeoutMs: 0 })).toThrow(
      "Invalid configuration timeoutMs: must be an integer >= 1 (milliseconds before a connect, headers or body wait fails), got 0",
    );
  });

  it("fails naming gitlab:token and GITLAB_TOKEN when the token is missing", () => {
    let err: unknown;
    try {
      createGitLabClient({ baseUrl: fake.origin, token: "" });
    } catch (e) {
      err = e;
    }
    expect(hasCode(err, "GLM_ERR_CONFIG")).toBe(true);
    expect((err as Error).message).toBe(
      "Invalid configuration gitlab:token (or the GITLAB_TOKEN environment variable): is not set; run `pulumi config set --secret gitlab:token <token>`",
    );
  });
});

describe("the token never leaks", () => {
  function expectNoSecret(err: Error & Record<string, unknown>): void {
    const surfaces = [err.message, String(err), err.stack ?? "", JSON.stringify(err), JSON.stringify(err.body ?? null)];
    let cause: unknown = err.cause;
    while (cause instanceof Error) {
      surfaces.push(cause.message, String(cause), cause.stack ?? "", JSON.stringify(cause));
      cause = cause.cause;
    }
    for (const text of surfaces) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(ENCODED_TOKEN);
      expect(text).not.toContain("hunter2");
    }
  }

  it("even when GitLab echoes it back in a JSON error body", async () => {
    fake.on("POST", "/projects/42/remote_mirrors", {
      status: 400,
      json: { message: { url: [`https://oauth2:${TOKEN}@example.com/t.git is invalid`, `token ${ENCODED_TOKEN}`] }, [TOKEN]: "key" },
    });
    const err = await failure(client().remoteMirrors.create(42, { url: `https://oauth2:${TOKEN}@example.com/t.git` }));
    expect(err.code).toBe("GLM_ERR_GITLAB_API");
    expect(err.gitlabMessage).toBe("url https://*****:*****@example.com/t.git is invalid; url token *****");
    expectNoSecret(err);
  });

  it("in a text/plain 429 body", async () => {
    fake.on("GET", "/projects/42", { status: 429, text: `Retry later, ${TOKEN} and https://u:hunter2@h/x`, headers: { "retry-after": "99999" } });
    const err = await failure(client().projects.get(42));
    expect(err.code).toBe("GLM_ERR_RATE_LIMITED");
    expect(err.gitlabMessage).toBe("Retry later, ***** and https://*****:*****@h/x");
    expectNoSecret(err);
  });

  it("in a 5xx that exhausts retries", async () => {
    fake.on("GET", "/projects/42", { status: 500, json: { message: `boom ${TOKEN}` } });
    const err = await failure(client({ maxRetries: 1 }).projects.get(42));
    expect(err.code).toBe("GLM_ERR_RETRIES_EXHAUSTED");
    expect(err.message).toContain("boom *****");
    expectNoSecret(err);
  });

  it("in a network failure", async () => {
    fake.on("GET", "/projects/42", { destroy: true });
    const err = await failure(client({ maxRetries: 0 }).projects.get(42));
    expect(err.code).toBe("GLM_ERR_NETWORK");
    expectNoSecret(err);
  });
});

describe("waits that last are said (onWait)", () => {
  it("the first refused attempt against an unreachable GitLab is said before the first back-off", async () => {
    const origin = fake.origin;
    await fake.close();
    const events: string[] = [];
    const c = createGitLabClient(
      { baseUrl: origin, token: TOKEN },
      {
        dispatcher: agent,
        random: () => 0.5,
        maxRetries: 2,
        sleep: async (ms) => void events.push(`sleep ${ms}`),
        onWait: (message) => events.push(message),
      },
    );
    await failure(c.remoteMirrors.get(42, 7));
    expect(events[0]).toBe("GET /projects/42/remote_mirrors/7: attempt 1 failed (connection refused (ECONNREFUSED)); trying again in 0.3 s (attempt 2 of at most 3)");
    expect(events[1]).toBe("sleep 250");
    expect(events[2]).toMatch(/^GET \/projects\/42\/remote_mirrors\/7: attempt 2 failed/);
    expect(events.join("\n")).not.toContain(TOKEN);
    fake = await FakeGitLab.start(); // afterEach closes it
  });

  it("a 429 asking for 25 s: the wait is said at once, then every 10 s of it", async () => {
    fake.on("GET", "/projects/7", { status: 429, text: "Retry later\n", headers: { "retry-after": "25" } }, { status: 200, json: { id: 7, path_with_namespace: "g/seven" } });
    const waits: string[] = [];
    await client({ maxDelayMs: 60_000, onWait: (message) => waits.push(message) }).projects.get(7);
    expect(waits).toEqual([
      "GET /projects/7: attempt 1 failed (GitLab answered 429); trying again in 25 s (attempt 2 of at most 4)",
      "GET /projects/7: still waiting to try again (10 s of 25 s)",
      "GET /projects/7: still waiting to try again (20 s of 25 s)",
    ]);
    // The same 25 s in all, in pieces of at most 10 s.
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(25_000);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(10_000);
  });
});
