/**
 * What the install tests share: the release artifacts of a test version (built once per run by
 * `scripts/dist.sh`), an environment with nothing of the checkout in it, and a command runner whose
 * failures show the command's output with URL credentials masked.
 */
import { execFileWithInput } from "../../harness/exec-with-input";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");

/** A version no real release has, so that nothing but these artifacts can satisfy it. */
export const TEST_VERSION = "0.99.0";
export const releaseDir = path.join(repoRoot, "release", TEST_VERSION);

export function pluginArchive(platform = "linux-amd64"): string {
  return path.join(releaseDir, `pulumi-resource-gitlab-mirrors-v${TEST_VERSION}-${platform}.tar.gz`);
}

/** `make dist VERSION=<test version>`, as a user's release would run it. */
export async function buildRelease(): Promise<void> {
  await run("bash", [path.join(repoRoot, "scripts", "dist.sh"), TEST_VERSION], { cwd: repoRoot, env: process.env, timeoutMs: 900_000 });
}

function masked(text: string): string {
  return text.replace(/(\w+:\/\/)[^\s/@]+@/g, "$1*****@");
}

/**
 * The environment of a user's shell: PATH with the given directories first, then the system's
 * directories but none inside the checkout (npx puts node_modules/.bin there); no NODE_PATH, no
 * PYTHONPATH, nothing of Pulumi's, GitLab's, npm's or jest's.
 */
export function userEnv(pathDirs: string[], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(PULUMI_|GITLAB_|JEST_|npm_|NODE_PATH$|NODE_OPTIONS$|PYTHONPATH$|VIRTUAL_ENV$|INIT_CWD$)/i.test(name)) env[name] = value;
  }
  const system = (process.env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "" && !insideCheckout(dir));
  env.PATH = [...pathDirs, ...system].join(path.delimiter);
  return { ...env, PULUMI_SKIP_UPDATE_CHECK: "true", NO_COLOR: "1", ...extra };
}

function insideCheckout(dir: string): boolean {
  const relative = path.relative(repoRoot, path.resolve(dir));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command that must succeed; `input` goes to its standard input (secrets travel that way). */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<RunResult> {
  return execFileWithInput(command, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 }, options.input).then(
    ({ error, stdout, stderr }) => {
      if (error === null) return { stdout, stderr };
      throw new Error(masked(`${path.basename(command)} ${args.join(" ")} failed (${error.message.split("\n")[0]}):\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${stderr.slice(-6000)}`));
    },
  );
}

/** A static file server on 127.0.0.1 for one directory, recording the paths asked for. */
export async function serveDirectory(dir: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname).replace(/^\/+/, "");
    requests.push(name);
    const file = path.join(dir, name);
    if (name === "" || name.includes("/") || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/gzip", "Content-Length": fs.statSync(file).size });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
