import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { redactUrlCredentials } from "../provider/redact";

const execFileAsync = promisify(execFile);

/** Environment for git runs: never prompt, never read the user's config. */
const GIT_ENV = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "gitlab-mirrors demo",
  GIT_AUTHOR_EMAIL: "demo@example.invalid",
  GIT_COMMITTER_NAME: "gitlab-mirrors demo",
  GIT_COMMITTER_EMAIL: "demo@example.invalid",
};

/** Runs git with an argument array (never a shell string) and returns its stdout. */
export async function git(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync("git", args, {
      cwd,
      env: { ...process.env, ...GIT_ENV },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { code?: number | string; stderr?: string };
    const stderrTail = redactUrlCredentials(String(e.stderr ?? "")).trim().split("\n").slice(-5).join("\n");
    throw new Error(`git ${redactUrlCredentials(args.join(" "))} failed (exit ${e.code}): ${stderrTail}`);
  }
}

/**
 * Creates a small repository with a `main` branch (two commits), a `feature/login` branch
 * and a `v1.0.0` tag, to be pushed to a GitLab project.
 */
export async function makeSampleRepository(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await git(["init", "--quiet", "--initial-branch=main"], dir);
  fs.writeFileSync(path.join(dir, "README.md"), "# app\n");
  await git(["add", "README.md"], dir);
  await git(["commit", "--quiet", "-m", "Initial commit"], dir);
  await git(["tag", "v1.0.0"], dir);
  fs.appendFileSync(path.join(dir, "README.md"), "\nMirrored by gitlab-mirrors.\n");
  await git(["commit", "--quiet", "-am", "Describe the mirror"], dir);
  await git(["branch", "feature/login"], dir);
}

/** Pushes every branch and tag of `dir` to `url`. */
export async function pushAll(dir: string, url: string): Promise<void> {
  await git(["push", "--quiet", url, "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*"], dir);
}

/** The refs a remote advertises, as a map from ref name to commit id. */
export async function listRemoteRefs(url: string): Promise<Map<string, string>> {
  const out = await git(["ls-remote", url]);
  const refs = new Map<string, string>();
  for (const line of out.split("\n")) {
    const [sha, ref] = line.split("\t");
    if (sha && ref && ref !== "HEAD") refs.set(ref, sha);
  }
  return refs;
}

/** `http://host/path` with `user:password@` inserted. */
export function withCredentials(url: string, username: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(username);
  u.password = encodeURIComponent(password);
  return u.toString();
}
