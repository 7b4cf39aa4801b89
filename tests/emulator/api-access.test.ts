/** The API guard and ProjectPolicy: who gets 200, 401, 403 or 404 on each endpoint. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { apiClient, call, startTestEmulator, tempDir, withAuth, WorkTree } from "./helpers";
import { PERMISSIONS_SEED, TOKENS } from "./seeds";

let emulator: RunningEmulator;
const api = apiClient(() => emulator);
const TARGET = "https://mirror.example.com/backup/app.git";

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: PERMISSIONS_SEED });
});
afterAll(async () => {
  await emulator.close();
});

async function createMirror(projectId: number | string, token = TOKENS.root, url = `${TARGET}?n=${Math.random()}`): Promise<number> {
  const created = await api("POST", `/projects/${projectId}/remote_mirrors`, { token, json: { url } });
  expect(created.status).toBe(201);
  return created.body.id as number;
}

describe("GET /projects/:id", () => {
  it("finds a project by numeric id and by URL-encoded full path", async () => {
    const byId = await api("GET", "/projects/1", { token: TOKENS.alice });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: 1, path_with_namespace: "demo/app", default_branch: "main", visibility: "private" });
    const byPath = await api("GET", "/projects/group%2Fsub%2Finternal-app", { token: TOKENS.alice });
    expect(byPath.status).toBe(200);
    expect(byPath.body.id).toBe(3);
  });

  it("reports empty_repo: true until a branch is pushed (regression: always false)", async () => {
    expect((await api("GET", "/projects/4", { token: TOKENS.root })).body.empty_repo).toBe(true);
    const work = tempDir("empty-repo");
    try {
      const tree = await WorkTree.clone(withAuth(`${emulator.baseUrl}/other/secret.git`, "root", TOKENS.root), path.join(work, "clone"));
      await tree.commit("first", "main");
      await tree.run(["push", "--quiet", "origin", "main"]);
      expect((await api("GET", "/projects/4", { token: TOKENS.root })).body.empty_repo).toBe(false);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it("finds a full path case-insensitively", async () => {
    const res = await api("GET", "/projects/DEMO%2FApp", { token: TOKENS.alice });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(1);
  });

  it("answers 404 Project Not Found for a bare name, an unknown id and a hidden private project", async () => {
    for (const id of ["app", "999", "other%2Fsecret"]) {
      const res = await api("GET", `/projects/${id}`, { token: TOKENS.alice });
      expect({ id, status: res.status, body: res.body }).toEqual({ id, status: 404, body: { message: "404 Project Not Found" } });
    }
  });

  it("shows public projects to anonymous callers, internal ones only to signed-in users", async () => {
    expect((await api("GET", "/projects/2")).status).toBe(200);
    expect(await api("GET", "/projects/3").then((r) => [r.status, r.body])).toEqual([404, { message: "404 Project Not Found" }]);
    expect((await api("GET", "/projects/3", { token: TOKENS.carol })).status).toBe(200);
  });

  it("shows private projects to admins and members only", async () => {
    expect((await api("GET", "/projects/4", { token: TOKENS.root })).status).toBe(200);
    expect((await api("GET", "/projects/4", { token: TOKENS.bob })).status).toBe(200);
    expect((await api("GET", "/projects/4", { token: TOKENS.carol })).status).toBe(404);
  });

  it("accepts the token as Authorization: Bearer and as private_token", async () => {
    const bearer = await call(emulator.apiUrl, "GET", "/projects/1", { headers: { Authorization: `Bearer ${TOKENS.alice}` } });
    expect(bearer.status).toBe(200);
    const param = await call(emulator.apiUrl, "GET", `/projects/1?private_token=${TOKENS.alice}`);
    expect(param.status).toBe(200);
  });

  it("answers GitLab's invalid_token 401s for expired and revoked tokens", async () => {
    const expired = await api("GET", "/projects/2", { token: TOKENS.expired });
    expect([expired.status, expired.body]).toEqual([401, {
      error: "invalid_token",
      error_description: "Token is expired. You can either do re-authorization or token refresh.",
    }]);
    expect(expired.headers.get("www-authenticate")).toMatch(/^Bearer realm="Protected by OAuth 2.0", error="invalid_token"/);
    const revoked = await api("GET", "/projects/2", { token: TOKENS.revoked });
    expect([revoked.status, revoked.body]).toEqual([401, {
      error: "invalid_token",
      error_description: "Token was revoked. You have to re-authorize from the user.",
    }]);
  });

  it("redirects GETs through a moved project's old path (301) and refuses other methods (405)", async () => {
    const moved = await fetch(`${emulator.apiUrl}/projects/old-group%2Fapp/remote_mirrors?per_page=5`, {
      headers: { "PRIVATE-TOKEN": TOKENS.alice },
      redirect: "manual",
    });
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe(`${emulator.apiUrl}/projects/2/remote_mirrors?per_page=5`);
    const write = await api("POST", "/projects/old-group%2Fapp/remote_mirrors", { token: TOKENS.alice, json: { url: "https://x.example.com/y.git" } });
    expect([write.status, write.body]).toEqual([405, { message: "Non GET methods are not allowed for moved projects" }]);
  });

  it("answers 401 for an unknown token, even on a public project", async () => {
    const res = await api("GET", "/projects/2", { token: "glpat-unknown-token" });
    expect([res.status, res.body]).toEqual([401, { message: "401 Unauthorized" }]);
  });
});

describe("remote mirror permissions", () => {
  let mirrorId: number;
  beforeAll(async () => {
    mirrorId = await createMirror(1);
  });

  const endpoints = (id: () => number): Array<[string, string, unknown?]> => [
    ["GET", "/projects/1/remote_mirrors"],
    ["GET", `/projects/1/remote_mirrors/${id()}`],
    ["POST", "/projects/1/remote_mirrors", { url: "https://dev.example.com/x.git" }],
    ["PUT", `/projects/1/remote_mirrors/${id()}`, { enabled: false }],
    ["DELETE", `/projects/1/remote_mirrors/${id()}`],
    ["GET", `/projects/1/remote_mirrors/${id()}/public_key`],
    ["POST", `/projects/1/remote_mirrors/${id()}/sync`],
  ];

  it("answers 401 (not 403) to a Developer on every endpoint and changes nothing", async () => {
    for (const [method, path, json] of endpoints(() => mirrorId)) {
      const res = await api(method, path, { token: TOKENS.bob, json });
      expect({ method, path, status: res.status, body: res.body }).toEqual({ method, path, status: 401, body: { message: "401 Unauthorized" } });
    }
    const list = await api("GET", "/projects/1/remote_mirrors", { token: TOKENS.root });
    expect(list.body.map((m: { id: number }) => m.id)).toEqual([mirrorId]);
  });

  it("answers 404 Project Not Found on every endpoint of a project the caller cannot see", async () => {
    for (const [method, path, json] of endpoints(() => mirrorId)) {
      const res = await api(method, path, { token: TOKENS.carol, json });
      expect({ method, path, status: res.status, body: res.body }).toEqual({ method, path, status: 404, body: { message: "404 Project Not Found" } });
    }
  });

  it("answers 401 to anonymous callers on a public project and 404 on a private one", async () => {
    const open = await api("GET", "/projects/2/remote_mirrors");
    expect([open.status, open.body]).toEqual([401, { message: "401 Unauthorized" }]);
    const hidden = await api("GET", "/projects/1/remote_mirrors");
    expect([hidden.status, hidden.body]).toEqual([404, { message: "404 Project Not Found" }]);
  });

  it("lets Maintainers, Owners and admins manage mirrors", async () => {
    for (const token of [TOKENS.alice, TOKENS.olga, TOKENS.root]) {
      const res = await api("GET", "/projects/1/remote_mirrors", { token });
      expect(res.status).toBe(200);
    }
    expect((await api("GET", "/projects/4/remote_mirrors", { token: TOKENS.root })).status).toBe(200);
  });

  it("answers 403 insufficient_scope to a read_api token on writes but lets it read", async () => {
    expect((await api("GET", `/projects/1/remote_mirrors/${mirrorId}`, { token: TOKENS.aliceReadApi })).status).toBe(200);
    for (const [method, path, json] of endpoints(() => mirrorId).filter(([m]) => m !== "GET")) {
      const res = await api(method, path, { token: TOKENS.aliceReadApi, json });
      expect({ method, status: res.status, body: res.body }).toEqual({
        method,
        status: 403,
        body: {
          error: "insufficient_scope",
          error_description: "The request requires higher privileges than provided by the access token.",
          scope: "api",
        },
      });
    }
  });

  it("answers 404 Not found (lowercase) for an unknown mirror, a non-numeric id and another project's mirror", async () => {
    const foreign = await createMirror(2, TOKENS.alice);
    for (const id of ["999999", "abc", String(foreign)]) {
      const res = await api("GET", `/projects/1/remote_mirrors/${id}`, { token: TOKENS.root });
      expect({ id, status: res.status, body: res.body }).toEqual({ id, status: 404, body: { message: "404 Not found" } });
    }
  });

  it("casts a mirror id such as 12abc to 12, as Rails does", async () => {
    const res = await api("GET", `/projects/1/remote_mirrors/${mirrorId}abc`, { token: TOKENS.root });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(mirrorId);
  });

  it("answers Grape's 404 for unknown routes and 405 for a wrong method", async () => {
    const unknown = await api("GET", "/projects/1/nothing_here", { token: TOKENS.root });
    expect([unknown.status, unknown.body]).toEqual([404, { error: "404 Not Found" }]);
    const wrong = await api("PATCH", `/projects/1/remote_mirrors/${mirrorId}`, { token: TOKENS.root });
    expect([wrong.status, wrong.body]).toEqual([405, { error: "405 Not Allowed" }]);
  });

  it("checks the project and ability before parameters (401 wins over 400)", async () => {
    const res = await api("POST", "/projects/1/remote_mirrors", { token: TOKENS.bob, json: {} });
    expect([res.status, res.body]).toEqual([401, { message: "401 Unauthorized" }]);
  });
});

describe("mirror_available off", () => {
  let off: RunningEmulator;
  beforeAll(async () => {
    off = await startTestEmulator({ seed: { ...PERMISSIONS_SEED, settings: { ...PERMISSIONS_SEED.settings, mirrorAvailable: false } } });
  });
  afterAll(async () => {
    await off.close();
  });

  it("leaves only admins able to manage mirrors", async () => {
    const maintainer = await call(off.apiUrl, "GET", "/projects/1/remote_mirrors", { token: TOKENS.alice });
    expect([maintainer.status, maintainer.body]).toEqual([401, { message: "401 Unauthorized" }]);
    const admin = await call(off.apiUrl, "GET", "/projects/1/remote_mirrors", { token: TOKENS.root });
    expect(admin.status).toBe(200);
  });

  it("records a per-project override when an admin saves a mirror, so the mirror is enabled and maintainers regain access", async () => {
    const created = await call(off.apiUrl, "POST", "/projects/1/remote_mirrors", { token: TOKENS.root, json: { url: TARGET, enabled: true } });
    expect(created.status).toBe(201);
    expect(created.body.enabled).toBe(true);
    expect((await call(off.apiUrl, "GET", "/projects/1/remote_mirrors", { token: TOKENS.alice })).status).toBe(200);
  });
});

// The provider's early token check (issue 21, item 21) relies on GET /user answering as GitLab does.
describe("GET /user", () => {
  it("names the token's user", async () => {
    const res = await api("GET", "/user", { token: TOKENS.alice });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: "alice", state: "active" });
    expect(typeof res.body.id).toBe("number");
    expect((await api("GET", "/user", { token: TOKENS.aliceReadApi })).status).toBe(200);
  });

  it.each([
    ["an unknown token", "glpat-nobody-has-this", { message: "401 Unauthorized" }],
    ["an expired token", TOKENS.expired, { error: "invalid_token" }],
    ["a revoked token", TOKENS.revoked, { error: "invalid_token" }],
  ])("answers 401 to %s", async (_what, token, body) => {
    const res = await api("GET", "/user", { token });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject(body);
  });

  it("answers 401 without a token", async () => {
    expect((await api("GET", "/user")).status).toBe(401);
  });
});
