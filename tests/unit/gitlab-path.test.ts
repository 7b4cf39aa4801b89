import { titledByFirstCell } from "../support/titles";
import { DEFAULT_CLIENT_OPTIONS, normaliseApiUrl } from "../../provider/gitlab";
import { resolveClientOptions } from "../../provider/gitlab/options";
import { buildPath, encodeProjectRef } from "../../provider/gitlab/path";

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

describe("encodeProjectRef", () => {
  it.each<[number | string, string]>([
    [42, "42"],
    ["42", "42"],
    ["group/app", "group%2Fapp"],
    ["group/sub/app", "group%2Fsub%2Fapp"],
    ["my.group/my-app_1", "my.group%2Fmy-app_1"],
    ["gröup/app", "gr%C3%B6up%2Fapp"],
  ])("%j -> %j", (ref, expected) => {
    expect(encodeProjectRef(ref)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [0, "Invalid input project: a numeric project id must be a positive integer, got 0"],
    [-3, "Invalid input project: a numeric project id must be a positive integer, got -3"],
    [1.5, "Invalid input project: a numeric project id must be a positive integer, got 1.5"],
    ["", "Invalid input project: must be a numeric id or a full path such as group/sub/app"],
    ["app", 'Invalid input project: "app" has no namespace; use the full path (group/app) or the numeric id'],
    ["/group/app", 'Invalid input project: "/group/app" is not a full project path such as group/sub/app'],
    ["group//app", 'Invalid input project: "group//app" is not a full project path such as group/sub/app'],
    ["000", "Invalid input project: a numeric project id must be a positive integer, got 0"],
  ])("%j is rejected", (ref, message) => {
    const err = thrown(() => encodeProjectRef(ref as never));
    expect(err.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(err.message).toBe(message);
  });
});

describe("buildPath", () => {
  it.each<[Parameters<typeof buildPath>[0], Parameters<typeof buildPath>[1], string]>([
    ["/projects/:id", { id: "g/app" }, "/projects/g%2Fapp"],
    ["/projects/:id/remote_mirrors", { id: 42 }, "/projects/42/remote_mirrors"],
    ["/projects/:id/remote_mirrors/:mirror_id", { id: "g/s/app", mirror_id: 7 }, "/projects/g%2Fs%2Fapp/remote_mirrors/7"],
    ["/projects/:id/remote_mirrors/:mirror_id/public_key", { id: 42, mirror_id: 7 }, "/projects/42/remote_mirrors/7/public_key"],
    ["/projects/:id/remote_mirrors/:mirror_id/sync", { id: 42, mirror_id: 7 }, "/projects/42/remote_mirrors/7/sync"],
  ])("%s with %j -> %s", (route, params, expected) => {
    expect(buildPath(route, params)).toBe(expected);
  });

  it.each([0, -1, 2.5, Number.NaN])("mirror id %p is rejected", (mirrorId) => {
    const err = thrown(() => buildPath("/projects/:id/remote_mirrors/:mirror_id", { id: 42, mirror_id: mirrorId }));
    expect(err.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(err.message).toMatch(/^Invalid input mirrorId: must be a positive integer, got /);
  });

  // Regression (issue 21, item 14): 9007199254740993 arrives rounded to 9007199254740992, and the message
  // named that other number as the one given.
  it.each([
    ["mirror_id", { id: 42, mirror_id: 9007199254740993 }],
    ["id", { id: 9007199254740993, mirror_id: 7 }],
  ] as const)("an id past 2^53 (%s) is refused without naming the rounded number", (_param, params) => {
    const err = thrown(() => buildPath("/projects/:id/remote_mirrors/:mirror_id", params));
    expect(err.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(err.message).toContain(`at most ${Number.MAX_SAFE_INTEGER}`);
    expect(err.message).not.toContain("9007199254740992");
  });

  it("a mirror route without a mirror id is rejected", () => {
    expect(thrown(() => buildPath("/projects/:id/remote_mirrors/:mirror_id/sync", { id: 42 })).message).toBe(
      "Invalid input mirrorId: is required for /projects/:id/remote_mirrors/:mirror_id/sync",
    );
  });
});

describe("normaliseApiUrl", () => {
  it.each([
    ["https://gitlab.example.com", "https://gitlab.example.com/api/v4"],
    ["https://gitlab.example.com/", "https://gitlab.example.com/api/v4"],
    ["https://gitlab.example.com/api/v4", "https://gitlab.example.com/api/v4"],
    ["https://gitlab.example.com/api/v4/", "https://gitlab.example.com/api/v4"],
    ["https://gitlab.example.com/api/v4//", "https://gitlab.example.com/api/v4"],
    ["  https://GitLab.Example.com  ", "https://gitlab.example.com/api/v4"],
    ["https://gitlab.example.com:443/", "https://gitlab.example.com/api/v4"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v4"],
    ["http://[::1]:8080/api/v4/", "http://[::1]:8080/api/v4"],
    ["https://example.com/gitlab", "https://example.com/gitlab/api/v4"],
    ["https://example.com/gitlab/api/v4/", "https://example.com/gitlab/api/v4"],
  ])("%j -> %j", (input, expected) => {
    expect(normaliseApiUrl(input)).toBe(expected);
  });

  it.each(titledByFirstCell([
    ["", "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): is empty; set it to your GitLab instance, e.g. https://gitlab.example.com"],
    ["gitlab.example.com", "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): is not an absolute URL; use e.g. https://gitlab.example.com"],
    ["ftp://gitlab.example.com", "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): uses scheme ftp, which is not supported; use https:// (or http:// for a local GitLab)"],
    ["https://root:hunter2@gitlab.example.com", "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): must not contain credentials; put the token in gitlab:token (or GITLAB_TOKEN)"],
    ["https://gitlab.example.com/?private_token=x", "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): must not have a query string or fragment; use the instance URL, e.g. https://gitlab.example.com"],
  ]))(
    "%s fails with GLM_ERR_CONFIG naming gitlab:baseUrl", (_title, input, message) => {
    const err = thrown(() => normaliseApiUrl(input));
    expect(err.code).toBe("GLM_ERR_CONFIG");
    expect(err.message).toBe(message);
    expect(err.message).not.toContain("hunter2");
  });

  // Regression (issue 10, item 14): a token pasted into gitlab:baseUrl was echoed, as the value or as its "scheme".
  it("never echoes a token pasted into gitlab:baseUrl", () => {
    const token = "glpat-Fake0123456789abcdef.01.0w1abcd2e";
    expect(thrown(() => normaliseApiUrl(token)).message).toBe(
      "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): is not an absolute URL; use e.g. https://gitlab.example.com",
    );
    expect(thrown(() => normaliseApiUrl(`${token}:x`)).message).toBe(
      "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): uses a scheme that is not supported; use https:// (or http:// for a local GitLab)",
    );
  });
});

describe("client options", () => {
  it("defaults are frozen", () => {
    expect(Object.isFrozen(DEFAULT_CLIENT_OPTIONS)).toBe(true);
    expect(DEFAULT_CLIENT_OPTIONS).toEqual({ timeoutMs: 30_000, attemptTimeoutMs: 120_000, callTimeoutMs: 180_000, maxResponseBytes: 4 * 1024 * 1024, maxRetries: 5, baseDelayMs: 500, maxDelayMs: 60_000, maxConnectionsPerHost: 10, userAgent: "gitlab-mirrors" });
  });

  it("overrides are merged once and undefined keeps the default", () => {
    const resolved = resolveClientOptions({ maxRetries: 0, timeoutMs: undefined });
    expect(resolved.maxRetries).toBe(0);
    expect(resolved.timeoutMs).toBe(30_000);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ timeoutMs: -1 }, "Invalid configuration timeoutMs: must be an integer >= 1 (milliseconds before a connect, headers or body wait fails), got -1"],
    [{ maxRetries: 1.5 }, "Invalid configuration maxRetries: must be an integer >= 0 (0 disables retries), got 1.5"],
    [{ maxConnectionsPerHost: 0 }, "Invalid configuration maxConnectionsPerHost: must be an integer >= 1 (concurrent requests per GitLab host), got 0"],
    [{ baseDelayMs: 1000, maxDelayMs: 10 }, "Invalid configuration maxDelayMs: must be >= baseDelayMs (1000), got 10"],
    [{ userAgent: " " }, "Invalid configuration userAgent: must be a non-empty string"],
    [{ sleep: 5 }, "Invalid configuration sleep: must be a function when given, got number"],
    [{ dispatcher: {} }, "Invalid configuration dispatcher: must be an undici Dispatcher (e.g. new Agent() or MockAgent)"],
  ])("%j fails naming the option", (overrides, message) => {
    const err = thrown(() => resolveClientOptions(overrides as never));
    expect(err.code).toBe("GLM_ERR_CONFIG");
    expect(err.message).toBe(message);
  });
});
