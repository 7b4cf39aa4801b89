/** Where the bare repositories live and the read-only git questions the emulator asks of them. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { GitRunner } from "./runner";

export class Repositories {
  constructor(
    private readonly root: string,
    private readonly git: GitRunner,
  ) {}

  projectsRoot(): string {
    return path.join(this.root, "projects");
  }

  targetsRoot(): string {
    return path.join(this.root, "targets");
  }

  /** Project repositories are named by id, so they do not move if a path changes. */
  projectRepo(projectId: number): string {
    return path.join(this.projectsRoot(), `${projectId}.git`);
  }

  targetRepo(targetPath: string): string {
    return path.join(this.targetsRoot(), `${targetPath}.git`);
  }

  /** GitLab's `repository_exists?`: an initialised repository exists even when empty. */
  exists(repo: string): boolean {
    return fs.existsSync(path.join(repo, "HEAD"));
  }

  async ensureBare(repo: string, defaultBranch: string): Promise<void> {
    if (this.exists(repo)) return;
    fs.mkdirSync(path.dirname(repo), { recursive: true });
    await this.git.run(["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, repo]);
    // Allow pushes over http-backend and keep every object a mirror might need.
    await this.git.run(["config", "http.receivepack", "true"], { cwd: repo });
    await this.git.run(["config", "receive.denyDeleteCurrent", "ignore"], { cwd: repo });
  }

  remove(repo: string): void {
    fs.rmSync(repo, { recursive: true, force: true });
  }

  /** refs/heads/* and refs/tags/* -> object id. */
  async refs(repo: string): Promise<Map<string, string>> {
    const { stdout } = await this.git.run(["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads", "refs/tags"], { cwd: repo });
    return parseRefLines(stdout);
  }

  /** GitLab's `empty_repo`: no repository, or one without a single branch. */
  async isEmpty(repo: string): Promise<boolean> {
    if (!this.exists(repo)) return true;
    const { stdout } = await this.git.run(["for-each-ref", "--count=1", "--format=%(refname)", "refs/heads"], { cwd: repo });
    return stdout.trim() === "";
  }

  /** The branch HEAD points at, e.g. `main`. */
  async headBranch(repo: string): Promise<string | undefined> {
    const result = await this.git.run(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: repo, okExitCodes: [1, 128] });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  /** True when `ancestor` is reachable from `descendant`; false also when either object is missing here. */
  async isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.git.run(["merge-base", "--is-ancestor", ancestor, descendant], { cwd: repo, okExitCodes: [1, 128] });
    return result.exitCode === 0;
  }
}

export function parseRefLines(text: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{40,64})\s+(refs\/(?:heads|tags)\/\S+)$/.exec(line.trim());
    if (match && !match[2].endsWith("^{}")) refs.set(match[2], match[1]);
  }
  return refs;
}
