/** Shared test plumbing: a fresh emulator per suite, a small HTTP client, and git helpers. */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, fetch as undiciFetch } from "undici";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

export const ROOT_TOKEN = "glpat-emulator-root-token";
export const ALICE_TOKEN = "glpat-emulator-alice-token";
export const TARGET_USER = "mirror-bot";
export const TARGET_PASSWORD = "emulator-target-password";

/** No keep-alive: emulators restart on the same port in some tests, and a pooled socket would be stale. */
const noKeepAlive = new Agent({ pipelining: 0 });

export interface HttpResult {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  body: any;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string | string[]>;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, method: string, pathAndQuery: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers["PRIVATE-TOKEN"] = options.token;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.form)) {
      for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
    }
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = search.toString();
  }
  const response = await undiciFetch(`${baseUrl}${pathAndQuery}`, { method, headers, body, dispatcher: noKeepAlive });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** An API client bound to one emulator: paths are relative to /api/v4. */
export function apiClient(emulator: () => RunningEmulator) {
  return (method: string, apiPath: string, options: RequestOptions = {}) => call(emulator().apiUrl, method, apiPath, options);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `glm-emu-test-${prefix}-`));
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: "127.0.0.1", port: 0, ...options });
}

const GIT_ENV = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  GIT_TERMINAL_PROMPT: "0",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
  HOME: os.tmpdir(),
};

export function git(args: string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, env: GIT_ENV }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args[0]} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** `http://user:pass@host:port/...` for a base URL. */
export function withAuth(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** A working clone of a project with a helper to commit. */
export class WorkTree {
  private constructor(readonly dir: string) {}

  static async clone(remoteWithAuth: string, dir: string): Promise<WorkTree> {
    await git(["clone", "--quiet", remoteWithAuth, dir]);
    return new WorkTree(dir);
  }

  async commit(message: string, branch?: string): Promise<string> {
    if (branch) await git(["checkout", "--quiet", "-B", branch], this.dir);
    fs.writeFileSync(path.join(this.dir, "file.txt"), `${message}\n`);
    await git(["add", "file.txt"], this.dir);
    await git(["commit", "--quiet", "-m", message], this.dir);
    return (await git(["rev-parse", "HEAD"], this.dir)).trim();
  }

  run(args: string[]): Promise<string> {
    return git(args, this.dir);
  }
}

/** refs/heads/* and refs/tags/* of a remote -> oid. */
export async function remoteRefs(remoteWithAuth: string): Promise<Record<string, string>> {
  const out = await git(["ls-remote", "--refs", remoteWithAuth]);
  const refs: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const [oid, ref] = line.split("\t");
    if (oid && ref) refs[ref] = oid;
  }
  return refs;
}
