/**
 * Smart HTTP for the bare repositories, through `git http-backend` (CGI). Access is decided
 * before git runs; the backend only serves. A successful receive-pack reports back so the
 * caller can start mirroring, as a push to a GitLab project does.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GitRunner } from "../git/runner";

export type GitService = "upload-pack" | "receive-pack";

/** Which service a smart-HTTP request is for; dumb-protocol reads count as upload-pack. */
export function gitServiceOf(method: string, suffix: string, search: URLSearchParams): GitService {
  if (suffix === "/info/refs") return search.get("service") === "git-receive-pack" ? "receive-pack" : "upload-pack";
  if (method === "POST" && suffix === "/git-receive-pack") return "receive-pack";
  return "upload-pack";
}

export interface BasicCredentials {
  username: string;
  password: string;
}

export function basicCredentials(req: IncomingMessage): BasicCredentials | undefined {
  const header = req.headers.authorization;
  if (typeof header !== "string") return undefined;
  const match = /^Basic\s+(.+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? { username: decoded, password: "" } : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function askForCredentials(res: ServerResponse, realm: string): void {
  res.writeHead(401, { "WWW-Authenticate": `Basic realm="${realm}"`, "Content-Type": "text/plain" });
  res.end("HTTP Basic: Access denied\n");
}

export function denyGit(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "Content-Type": "text/plain" });
  res.end(`${message}\n`);
}

export interface BackendRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Directory holding the repository. */
  projectRoot: string;
  /** `/<name>.git/<suffix>` relative to projectRoot. */
  pathInfo: string;
  remoteUser: string | undefined;
}

/** Runs git http-backend for one request; resolves with true when git exited successfully. */
export function serveWithHttpBackend(git: GitRunner, backend: BackendRequest): Promise<boolean> {
  const { req, res } = backend;
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: backend.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: backend.pathInfo,
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: url.search.replace(/^\?/, ""),
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
  };
  if (req.headers["content-type"]) env.CONTENT_TYPE = String(req.headers["content-type"]);
  if (req.headers["content-length"]) env.CONTENT_LENGTH = String(req.headers["content-length"]);
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = String(req.headers["content-encoding"]);
  if (req.headers["git-protocol"]) env.GIT_PROTOCOL = String(req.headers["git-protocol"]);
  if (backend.remoteUser) env.REMOTE_USER = backend.remoteUser;

  return new Promise((resolve) => {
    const child = git.spawnStreaming(["http-backend"], env);
    let headerBuffer = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      let end = headerBuffer.indexOf("\r\n\r\n");
      let sepLength = 4;
      if (end < 0) {
        end = headerBuffer.indexOf("\n\n");
        sepLength = 2;
      }
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of headerBuffer.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(headerBuffer.subarray(end + sepLength));
    });
    child.stderr.resume();
    req.pipe(child.stdin);
    child.stdin.on("error", () => undefined);
    req.on("aborted", () => child.kill("SIGKILL"));
    child.on("close", (code) => {
      if (!headersDone && !res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end();
      resolve(code === 0);
    });
    child.on("error", () => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end();
      resolve(false);
    });
  });
}
