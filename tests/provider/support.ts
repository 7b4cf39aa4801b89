/** Shared set-up for the provider tests: an emulator, a recording proxy in front of it, a context. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { MirrorListCache } from "../../provider/mirror/mirror-lists";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createGitLabClient } from "../../provider/gitlab";
import { MirrorContext, MirrorLogger, ProjectIdCache } from "../../provider/mirror";

export const ROOT_TOKEN = "glpat-emulator-root-token";
export const ALICE_TOKEN = "glpat-emulator-alice-token";
export const TARGET_PASSWORD = "emulator-target-password";

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A loopback HTTP proxy that records every API request (method, path, JSON body) and can lose the
 * response of a chosen request after the emulator has processed it: the "did my POST work?" case.
 */
export interface RecordingProxy {
  baseUrl: string;
  requests: RecordedRequest[];
  loseResponseOf(method: string, pathPattern: RegExp): void;
  close(): Promise<void>;
}

export async function startRecordingProxy(upstreamBaseUrl: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamBaseUrl);
  const requests: RecordedRequest[] = [];
  let lose: { method: string; pattern: RegExp } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const path = req.url ?? "/";
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          body = raw.toString("utf8");
        }
      }
      requests.push({ method: req.method ?? "GET", path: path.split("?")[0], body });
      const headers = { ...req.headers, host: upstream.host };
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path, headers },
        (upstreamRes) => {
          const out: Buffer[] = [];
          upstreamRes.on("data", (c: Buffer) => out.push(c));
          upstreamRes.on("end", () => {
            if (lose && lose.method === req.method && lose.pattern.test(path)) {
              lose = undefined;
              req.socket.destroy();
              return;
            }
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
            res.end(Buffer.concat(out));
          });
        },
      );
      forward.on("error", () => req.socket.destroy());
      forward.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    loseResponseOf(method, pathPattern) {
      lose = { method, pattern: pathPattern };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface CollectingLogger extends MirrorLogger {
  lines: string[];
}

export function collectingLogger(): CollectingLogger {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(`debug: ${m}`), info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`) };
}

export function testContext(baseUrl: string, token: string, logger: MirrorLogger, overrides: Partial<MirrorContext> = {}): MirrorContext {
  return {
    client: createGitLabClient({ baseUrl, token }, { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 10, timeoutMs: 20_000 }),
    token,
    logger,
    projectIds: new ProjectIdCache(),
    mirrorLists: new MirrorListCache(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    pollIntervalMs: 50,
    ...overrides,
  };
}

/** Calls the emulator's API directly (out-of-band changes, assertions on what GitLab holds). */
export async function api(baseUrl: string, method: string, path: string, body?: unknown, token = ROOT_TOKEN): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl}/api/v4${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": token, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? undefined : JSON.parse(text) };
}

export async function counters(baseUrl: string): Promise<{ total: number; routes: Record<string, number> }> {
  return (await fetch(`${baseUrl}/-/emulator/counters`)).json() as Promise<{ total: number; routes: Record<string, number> }>;
}

export async function resetCounters(baseUrl: string): Promise<void> {
  await fetch(`${baseUrl}/-/emulator/counters`, { method: "DELETE" });
}

export async function setFaults(baseUrl: string, faults: unknown): Promise<void> {
  const res = await fetch(`${baseUrl}/-/emulator/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
  if (res.status !== 200) throw new Error(`PUT /-/emulator/faults answered ${res.status}: ${await res.text()}`);
}

export async function createTarget(baseUrl: string, path: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/-/emulator/targets`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ path, username, password }),
  });
  if (res.status !== 201) throw new Error(`POST /-/emulator/targets answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** `http://user:pass@host:port/-/targets/<path>.git` */
export function targetUrl(baseUrl: string, path: string, username = "mirror-bot", password = TARGET_PASSWORD): string {
  const url = new URL(`${baseUrl}/-/targets/${path}.git`);
  url.username = username;
  url.password = password;
  return url.toString();
}

const execFileAsync = promisify(execFile);

export async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execFileAsync("git", args, {
    cwd,
    timeout: 30_000,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", HOME: cwd ?? process.env.HOME },
  });
  return stdout;
}

/** Refs of a remote as "sha ref" lines, sorted. */
export async function lsRemote(url: string): Promise<string[]> {
  return (await git(["ls-remote", url])).trim().split("\n").filter((l) => l !== "" && !l.endsWith("HEAD")).sort();
}
