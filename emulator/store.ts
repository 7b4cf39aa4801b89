/**
 * The emulator's state, kept in memory and, with a data directory, in one JSON file written
 * atomically (temp file, fsync, rename, fsync of the directory) so a crash mid-write leaves
 * either the old or the new file, never a torn one. The temp file a crash leaves is removed on
 * the next open. The HTTP layer answers a request only once its changes are on disk (`flushed`); one
 * write carries every change made before it starts, so concurrent requests share it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SETTINGS, type EmulatorSeed } from "./seed";
import type { MirrorRecord, ProjectRecord, StoreState, UserRecord } from "./model/types";
import type { TargetSeed, TokenSeed } from "./seed";

export const STORE_FILE = "store.json";

export function stateFromSeed(seed: EmulatorSeed, now: number): StoreState {
  return {
    version: 1,
    settings: { ...DEFAULT_SETTINGS, ...(seed.settings ?? {}) },
    users: (seed.users ?? []).map((u) => ({ username: u.username, admin: u.admin ?? false, tokens: [...(u.tokens ?? [])] })),
    projects: (seed.projects ?? []).map((p) => ({
      id: p.id,
      path: p.path,
      visibility: p.visibility ?? "private",
      members: { ...(p.members ?? {}) },
      protectedBranches: [...(p.protectedBranches ?? [])],
      defaultBranch: p.defaultBranch ?? "main",
      previousPaths: [...(p.previousPaths ?? [])],
      remoteMirrorAvailableOverridden: false,
      createdAt: now,
    })),
    targets: (seed.targets ?? []).map((t) => ({ ...t })),
    mirrors: [],
    nextMirrorId: 1,
  };
}

export class Store {
  private state: StoreState;
  /** Changes made in memory, how many of them are on disk, and the write under way. */
  private changes = 0;
  private savedChanges = 0;
  private writing: Promise<void> | undefined;

  /** `file` undefined keeps the state in memory only. */
  constructor(private readonly file: string | undefined, initial: StoreState) {
    this.state = initial;
  }

  /** Loads the file when it exists (a restart), otherwise starts from `initial` and writes it. */
  static open(file: string | undefined, initial: () => StoreState): { store: Store; restored: boolean } {
    if (file) removeStaleTempFiles(file);
    if (file && fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as StoreState;
      if (parsed.version !== 1) throw new Error(`unsupported emulator store version in ${file}`);
      return { store: new Store(file, parsed), restored: true };
    }
    const store = new Store(file, initial());
    if (file) writeFileAtomic(file, store.serialised());
    return { store, restored: false };
  }

  get settings(): StoreState["settings"] {
    return this.state.settings;
  }

  replaceState(next: StoreState): void {
    this.state = next;
    this.persist();
  }

  users(): readonly UserRecord[] {
    return this.state.users;
  }

  findUserByToken(token: string): { user: UserRecord; token: TokenSeed } | undefined {
    for (const user of this.state.users) {
      const match = user.tokens.find((t) => t.token === token);
      if (match) return { user, token: match };
    }
    return undefined;
  }

  /** Users are numbered by seed order, starting at 1. */
  userId(username: string): number {
    return this.state.users.findIndex((u) => u.username === username) + 1;
  }

  findUser(username: string): UserRecord | undefined {
    return this.state.users.find((u) => u.username === username);
  }

  projects(): readonly ProjectRecord[] {
    return this.state.projects;
  }

  findProjectById(id: number): ProjectRecord | undefined {
    return this.state.projects.find((p) => p.id === id);
  }

  /** GitLab finds full paths case-insensitively. */
  findProjectByPath(fullPath: string): ProjectRecord | undefined {
    const wanted = fullPath.toLowerCase();
    return this.state.projects.find((p) => p.path.toLowerCase() === wanted);
  }

  /** A project reached through one of its old paths (GitLab's redirect routes). */
  findMovedProject(oldPath: string): ProjectRecord | undefined {
    const wanted = oldPath.toLowerCase();
    return this.state.projects.find((p) => (p.previousPaths ?? []).some((old) => old.toLowerCase() === wanted));
  }

  targets(): readonly TargetSeed[] {
    return this.state.targets;
  }

  findTarget(targetPath: string): TargetSeed | undefined {
    return this.state.targets.find((t) => t.path === targetPath);
  }

  addTarget(target: TargetSeed): void {
    this.state.targets.push({ ...target });
    this.persist();
  }

  mirrorsOf(projectId: number): MirrorRecord[] {
    return this.state.mirrors.filter((m) => m.projectId === projectId).sort((a, b) => a.id - b.id);
  }

  findMirror(id: number): MirrorRecord | undefined {
    return this.state.mirrors.find((m) => m.id === id);
  }

  insertMirror(build: (id: number) => MirrorRecord): MirrorRecord {
    const mirror = build(this.state.nextMirrorId);
    this.state.nextMirrorId += 1;
    this.state.mirrors.push(mirror);
    this.persist();
    return mirror;
  }

  /** Applies `change` to the live record and persists. Returns the record, or undefined if it is gone. */
  updateMirror(id: number, change: (mirror: MirrorRecord) => void): MirrorRecord | undefined {
    const mirror = this.findMirror(id);
    if (!mirror) return undefined;
    change(mirror);
    this.persist();
    return mirror;
  }

  updateProject(id: number, change: (project: ProjectRecord) => void): void {
    const project = this.findProjectById(id);
    if (!project) return;
    change(project);
    this.persist();
  }

  deleteMirror(id: number): boolean {
    const index = this.state.mirrors.findIndex((m) => m.id === id);
    if (index < 0) return false;
    this.state.mirrors.splice(index, 1);
    this.persist();
    return true;
  }

  /**
   * Records a change and starts writing it soon: a request waits for `flushed` before its answer, and a
   * change no request waits for (a push's status) reaches the disk all the same. A failed background
   * write is tried again by the next `flushed`, which reports it.
   */
  private persist(): void {
    if (this.file === undefined) return;
    this.changes += 1;
    setImmediate(() => void this.flushed().catch(() => undefined));
  }

  /**
   * Resolves once every change made so far is on disk. Each write carries every change made before it
   * starts: at a thousand mirrors the file is half a megabyte, and rewriting it for every request made
   * the emulator, not the provider, the bottleneck of a fleet.
   */
  async flushed(): Promise<void> {
    while (this.file !== undefined && this.savedChanges < this.changes) {
      if (this.writing === undefined) {
        const upTo = this.changes;
        this.writing = writeFileAtomicAsync(this.file, this.serialised())
          .then(() => {
            this.savedChanges = Math.max(this.savedChanges, upTo);
          })
          .finally(() => {
            this.writing = undefined;
          });
      }
      await this.writing;
    }
  }

  private serialised(): string {
    return JSON.stringify(this.state, null, 2) + "\n";
  }
}

function tempFileFor(file: string, pid: number): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${pid}.tmp`);
}

/** True when a process with this id exists (EPERM: it exists, but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temp files that writers of `file` left behind when they died between writing and
 * renaming: each is a full copy of the state, credentials included. A file whose writer is still
 * alive is kept (another emulator mid-write on the same data dir would otherwise fail its rename);
 * our own pid's file is always stale, since our writes are synchronous. Returns what was removed.
 */
export function removeStaleTempFiles(file: string, isAlive: (pid: number) => boolean = processIsAlive): string[] {
  const dir = path.dirname(file);
  if (!fs.existsSync(dir)) return [];
  const pattern = new RegExp(`^\\.${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(\\d+)\\.tmp$`);
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined) continue;
    if (Number(pid) !== process.pid && isAlive(Number(pid))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** writeFileAtomic without blocking the event loop: the emulator goes on answering while the disk syncs. */
export async function writeFileAtomicAsync(file: string, content: string): Promise<void> {
  const temp = tempFileFor(file, process.pid);
  const handle = await fs.promises.open(temp, "w", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
  const dir = await fs.promises.open(path.dirname(file), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  const temp = tempFileFor(file, process.pid);
  const fd = fs.openSync(temp, "w", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  const dirFd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
