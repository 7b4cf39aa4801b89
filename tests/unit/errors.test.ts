import {
  ConfigError,
  ERROR_CODES,
  GitLabApiError,
  GitLabMirrorsError,
  hasCode,
  InvalidInputError,
  isAmbiguousFailure,
  isMirrorNotFound,
  isProjectNotFound,
  GitLabRequestError,
  NetworkError,
  ProviderError,
  RateLimitedError,
  RetriesExhaustedError,
  SyncFailedError,
  SyncTimeoutError,
  UnexpectedResponseError,
} from "../../provider/errors";

const call = { method: "GET", route: "/projects/:id/remote_mirrors/:mirror_id", path: "/projects/42/remote_mirrors/7" };
const api = (status: number, gitlabMessage: string) => new GitLabApiError({ ...call, status, gitlabMessage, body: { message: gitlabMessage }, project: 42, mirrorId: 7 });
const ORIGIN = "https://gitlab.example.com";
const network = new NetworkError({ ...call, origin: ORIGIN, reason: "connection reset (ECONNRESET)", sent: true });
const refused = new NetworkError({ ...call, origin: ORIGIN, reason: "connection refused (ECONNREFUSED)", sent: false });

describe("the error catalogue", () => {
  it.each<[string, GitLabMirrorsError, string]>([
    ["GitLabApiError", api(500, "x"), "GLM_ERR_GITLAB_API"],
    ["RateLimitedError", new RateLimitedError({ ...call, sent: true, retries: 3, maxDelayMs: 60_000, gitlabMessage: "Retry later", body: "Retry later\n" }), "GLM_ERR_RATE_LIMITED"],
    ["NetworkError", network, "GLM_ERR_NETWORK"],
    ["RetriesExhaustedError", new RetriesExhaustedError({ ...call, attempts: 4 }, { cause: network }), "GLM_ERR_RETRIES_EXHAUSTED"],
    ["InvalidInputError", new InvalidInputError("url", "is required"), "GLM_ERR_INVALID_INPUT"],
    ["ConfigError", new ConfigError("gitlab:baseUrl", "is empty", { envVar: "GITLAB_BASE_URL" }), "GLM_ERR_CONFIG"],
    ["SyncFailedError", new SyncFailedError({ project: 42, mirrorId: 7, lastError: "x" }), "GLM_ERR_SYNC_FAILED"],
    ["SyncTimeoutError", new SyncTimeoutError({ project: 42, mirrorId: 7, timeoutSeconds: 1, lastStatus: "started" }), "GLM_ERR_SYNC_TIMEOUT"],
    ["UnexpectedResponseError", new UnexpectedResponseError({ ...call, status: 200, issues: ["id: bad"] }), "GLM_ERR_UNEXPECTED_RESPONSE"],
  ])("%s has a fixed name and a stable code, and no stack", (name, err, code) => {
    expect(err.name).toBe(name);
    expect(err.code).toBe(code);
    expect(ERROR_CODES).toContain(code);
    expect(hasCode(err, code as never)).toBe(true);
    expect(String(err)).toBe(`${name}: ${err.message}`);
    // Regression (issue 11, item 10): Pulumi's dynamic provider host prints a failed read or delete as
    // `${err}: ${err.stack}`, which showed the message twice followed by frames into our compiled files.
    expect(`${err}: ${err.stack}`).toBe(`${name}: ${err.message}: `);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name, code, message: err.message });
  });

  it("keeps the cause", () => {
    const cause = new Error("socket hang up");
    expect(new NetworkError({ ...call, origin: ORIGIN, reason: "r", sent: true }, { cause }).cause).toBe(cause);
  });

  it("messages say what failed and what to do", () => {
    expect(new InvalidInputError("mirrorBranchRegex", "conflicts with onlyProtectedBranches: true").message).toBe(
      "Invalid input mirrorBranchRegex: conflicts with onlyProtectedBranches: true",
    );
    expect(new ConfigError("gitlab:baseUrl", "is empty", { envVar: "GITLAB_BASE_URL" }).message).toBe(
      "Invalid configuration gitlab:baseUrl (or the GITLAB_BASE_URL environment variable): is empty",
    );
    // Regression (issue 11, item 14): it said "within 8000 ms … raise the wait bound", naming no setting.
    expect(new SyncTimeoutError({ project: 42, mirrorId: 7, timeoutSeconds: 8, lastStatus: "started" }).message).toBe(
      'Sync of mirror 7 on project 42 did not finish within syncTimeoutSeconds (8 s; last update_status: "started"). ' +
        "GitLab defers repeated syncs by minutes: raise syncTimeoutSeconds, or set waitForSync: false to ask for the sync without waiting for it.",
    );
    expect(new RetriesExhaustedError({ ...call, attempts: 4 }, { cause: network }).message).toBe(
      `GET /projects/42/remote_mirrors/7 failed after 4 attempts; last error: ${network.message}`,
    );
  });

  it("SyncFailedError scrubs credentials from GitLab's last_error", () => {
    const err = new SyncFailedError({ project: 42, mirrorId: 7, lastError: "fatal: Authentication failed for 'https://bot:hunter2@example.com/t.git/'" });
    expect(err.lastError).toBe("fatal: Authentication failed for 'https://*****:*****@example.com/t.git/'");
    expect(err.message).not.toContain("hunter2");
    expect(err.message).toBe(
      "Sync of mirror 7 on project 42 failed (GitLab: \"fatal: Authentication failed for 'https://*****:*****@example.com/t.git/'\"). " +
        "Check the mirror URL's credentials or SSH key and host keys, and that the target accepts pushes.",
    );
  });

  it("no message can carry URL credentials, whoever builds it", () => {
    expect(new InvalidInputError("url", "https://u:hunter2@h/x is a duplicate").message).toBe("Invalid input url: https://*****:*****@h/x is a duplicate");
  });
});

describe("branded classes", () => {
  // Two copies of the module, as the serialized dynamic provider and jest's registry make them.
  let copy: typeof import("../../provider/errors");
  beforeAll(() => {
    jest.isolateModules(() => {
      copy = require("../../provider/errors");
    });
  });

  it("instanceof holds across two copies of the module, for the class and its bases only", () => {
    expect(copy.GitLabApiError).not.toBe(GitLabApiError);
    const foreign = new copy.GitLabApiError({ ...call, status: 404, gitlabMessage: "404 Not found", body: null });
    expect(foreign).toBeInstanceOf(GitLabApiError);
    expect(foreign).toBeInstanceOf(GitLabRequestError);
    expect(foreign).toBeInstanceOf(GitLabMirrorsError);
    expect(foreign).not.toBeInstanceOf(NetworkError);
    expect(new InvalidInputError("url", "is required")).toBeInstanceOf(copy.GitLabMirrorsError);
    expect(new InvalidInputError("url", "is required")).not.toBeInstanceOf(copy.GitLabRequestError);
    expect(isMirrorNotFound(foreign)).toBe(true);
  });

  it("a look-alike without the brand is no instance", () => {
    expect({ code: "GLM_ERR_GITLAB_API", status: 404 }).not.toBeInstanceOf(GitLabMirrorsError);
    expect(new Error("x")).not.toBeInstanceOf(GitLabMirrorsError);
    expect(null).not.toBeInstanceOf(GitLabMirrorsError);
  });

  it("every request error carries the call it is about", () => {
    for (const err of [api(500, "x"), network, new RetriesExhaustedError({ ...call, attempts: 2 }, { cause: network }), new UnexpectedResponseError({ ...call, status: 200, issues: [] })]) {
      expect(err).toBeInstanceOf(GitLabRequestError);
      expect({ method: err.method, route: err.route, path: err.path }).toEqual(call);
      expect(JSON.parse(JSON.stringify(err))).toMatchObject(call);
    }
  });

  it("status texts are Node's, for any status GitLab may send", () => {
    expect(api(418, "x").message).toContain("failed: 418 I'm a Teapot (GitLab:");
    expect(api(413, "x").message).toContain("failed: 413 Payload Too Large (GitLab:");
    expect(api(599, "x").message).toContain('failed: 599 (GitLab: "x")');
  });

  it("ProviderError names itself a bug and keeps the stack a report needs", () => {
    const err = new ProviderError("the engine invoked an unknown function x:y");
    expect(err.code).toBe("GLM_ERR_PROVIDER");
    expect(ERROR_CODES).toContain("GLM_ERR_PROVIDER");
    expect(err.name).toBe("ProviderError");
    expect(err.message).toBe("the engine invoked an unknown function x:y (this is a bug in gitlab-mirrors; please report it)");
    expect(err.stack).toContain("errors.test.ts");
  });
});

describe("classification helpers branch on code, not instanceof", () => {
  it.each<[string, unknown, boolean, boolean, boolean]>([
    // name, error, isMirrorNotFound, isProjectNotFound, isAmbiguousFailure
    ["mirror 404", api(404, "404 Not found"), true, false, false],
    ["project 404", api(404, "404 Project Not Found"), false, true, false],
    ["route 404", api(404, "404 Not Found"), false, false, false],
    ["401", api(401, "401 Unauthorized"), false, false, false],
    ["500", api(500, "500 Internal Server Error"), false, false, true],
    ["502", api(502, "Bad Gateway"), false, false, true],
    ["network, sent", network, false, false, true],
    ["network, never sent", refused, false, false, false],
    ["a copy of a network error from another module instance, never sent", { code: "GLM_ERR_NETWORK", sent: false }, false, false, false],
    ["exhausted 503", new RetriesExhaustedError({ ...call, attempts: 3 }, { cause: api(503, "x") }), false, false, true],
    ["exhausted network", new RetriesExhaustedError({ ...call, attempts: 3 }, { cause: network }), false, false, true],
    ["rate limited", new RateLimitedError({ ...call, sent: true, retries: 3, maxDelayMs: 60_000, gitlabMessage: "", body: null }), false, false, false],
    ["a copy from another module instance", { code: "GLM_ERR_GITLAB_API", status: 404, gitlabMessage: "404 Not found" }, true, false, false],
    ["a plain Error", new Error("404 Not found"), false, false, false],
    ["null", null, false, false, false],
  ])("%s", (_name, err, mirror, project, ambiguous) => {
    expect(isMirrorNotFound(err)).toBe(mirror);
    expect(isProjectNotFound(err)).toBe(project);
    expect(isAmbiguousFailure(err)).toBe(ambiguous);
  });
});
