/**
 * Requests that used to reach a handler or git with bytes they cannot handle and got a 500:
 * GitLab answers `400 Bad Request` for NUL or invalid UTF-8 in the path, parameters or
 * credentials (HandleMalformedStrings); git paths with dot segments or outside the smart-HTTP
 * endpoints are no route (404); control requests with unbounded paths are refused (400).
 */
import * as http from "node:http";
import type { RunningEmulator } from "../../emulator";
import { call, startTestEmulator } from "./helpers";
import { PERMISSIONS_SEED, TOKENS } from "./seeds";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ seed: PERMISSIONS_SEED });
});
afterAll(async () => {
  await emulator.close();
});

/** A request whose path is sent byte for byte (fetch would resolve dot segments first). */
function raw(method: string, rawPath: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string; type: string | undefined }> {
  const base = new URL(emulator.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path: rawPath, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => { text += d; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, type: res.headers["content-type"] }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

const BAD_REQUEST = { status: 400, text: "Bad Request", type: "text/plain" };

describe("GitLab's 400 Bad Request for malformed strings", () => {
  it.each([
    ["a NUL in a git path, anonymously on a public project", "/group/public-app.git/info/refs%00?service=git-upload-pack", {}],
    ["a NUL in a git path with credentials", "/demo/app.git/info/refs%00?service=git-upload-pack", { authorization: basic("root", TOKENS.root) }],
    ["a NUL in a target path", "/-/targets/backup/app.git/info/refs%00", {}],
    ["invalid UTF-8 in a git path", "/demo/app.git/info/refs%ff", {}],
    ["a NUL in an API path", "/api/v4/projects/1%00/remote_mirrors", { "private-token": TOKENS.root }],
    ["an invalid %-escape in an API path", "/api/v4/projects/1%zz/remote_mirrors", { "private-token": TOKENS.root }],
    ["a NUL in a query parameter", "/api/v4/projects/1/remote_mirrors?page=1%00", { "private-token": TOKENS.root }],
    ["invalid UTF-8 in a query parameter", "/api/v4/projects/1/remote_mirrors?x=%c3%28", { "private-token": TOKENS.root }],
    ["a NUL in basic credentials", "/demo/app.git/info/refs?service=git-upload-pack", { authorization: basic("root", "x\u0000y") }],
  ])("for %s (regression: some were 500s)", async (_title, path, headers) => {
    expect(await raw("GET", path, headers)).toEqual(BAD_REQUEST);
  });

  it.each([
    ["a lone surrogate in the URL's user name", { url: "https://\ud800:pw@mirror.example.com/x.git" }],
    ["a NUL in the URL", { url: "https://mirror.example.com/x\u0000.git" }],
    ["a NUL in a host key", { url: "ssh://mirror.example.com/x.git", host_keys: ["ssh-ed25519 AAAA\u0000"] }],
  ])("for %s in a JSON body (regression: a lone surrogate was a 500)", async (_title, json) => {
    const res = await call(emulator.apiUrl, "POST", "/projects/1/remote_mirrors", { token: TOKENS.root, json });
    expect([res.status, res.text, res.headers.get("content-type")]).toEqual([400, "Bad Request", "text/plain"]);
  });
});

describe("git paths outside GitLab's smart-HTTP endpoints", () => {
  it.each([
    ["/demo/app.git/../../etc/passwd"],
    ["/demo/app.git/info/../info/refs?service=git-upload-pack"],
    ["/demo/app.git/%2e%2e/%2e%2e/x"],
    ["/group/public-app.git/./info/refs?service=git-upload-pack"],
    ["/-/targets/backup/app.git/../app.git/info/refs"],
    ["/group/public-app.git/HEAD"],
    ["/group/public-app.git/objects/info/packs"],
  ])("are not found: %s (regression: dot segments reached git http-backend)", async (path) => {
    const res = await raw("GET", path, { authorization: basic("root", TOKENS.root) });
    expect([res.status, res.text]).toEqual([404, '{"message":"404 Not Found"}']);
  });

  it("still serve a clone's discovery request", async () => {
    const res = await raw("GET", "/group/public-app.git/info/refs?service=git-upload-pack");
    expect([res.status, res.type]).toEqual([200, "application/x-git-upload-pack-advertisement"]);
  });
});

describe("POST /-/emulator/targets", () => {
  it("refuses a path of 3,000 segments with 400 (regression: 500)", async () => {
    const res = await call(emulator.baseUrl, "POST", "/-/emulator/targets", { json: { path: Array(3000).fill("a").join("/"), username: "u", password: "p" } });
    expect([res.status, res.body]).toEqual([400, { error: "path: must be at most 1024 characters; path: must have at most 21 segments" }]);
  });

  it("refuses a segment longer than a file name may be", async () => {
    const res = await call(emulator.baseUrl, "POST", "/-/emulator/targets", { json: { path: `g/${"a".repeat(256)}`, username: "u", password: "p" } });
    expect([res.status, res.body]).toEqual([400, { error: "path: segments must be at most 255 characters" }]);
  });
});
