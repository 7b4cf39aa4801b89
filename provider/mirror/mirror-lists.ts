import type { RemoteMirror } from "../gitlab";

/**
 * Coalesces the reads of one project's mirrors: a refresh reads every mirror of a stack at once, and
 * one paginated `GET /projects/:id/remote_mirrors` answers for all of a project's mirrors, where one GET
 * per mirror would cost N requests. A list is shared by the reads that ask for it while it is pending and
 * for `ttlMs` after it arrived (long enough for one engine run's reads, short enough that a later read
 * asks GitLab again). A failed list fails every read waiting on it and is forgotten at once: a token that
 * lost its rights is an error for each of them, never "gone".
 */
export class MirrorListCache {
  private readonly lists = new Map<string, { mirrors: Promise<Map<number, RemoteMirror>>; fetchedAt?: number }>();

  constructor(private readonly ttlMs = 30_000) {}

  /** The project's mirrors by id, from a list fetched at most once per window. */
  get(apiUrl: string, projectId: number, now: () => number, list: () => Promise<RemoteMirror[]>): Promise<Map<number, RemoteMirror>> {
    const key = `${apiUrl}\n${projectId}`;
    const cached = this.lists.get(key);
    if (cached !== undefined && (cached.fetchedAt === undefined || now() - cached.fetchedAt < this.ttlMs)) return cached.mirrors;
    const entry: { mirrors: Promise<Map<number, RemoteMirror>>; fetchedAt?: number } = {
      mirrors: list().then((mirrors) => {
        entry.fetchedAt = now();
        return new Map(mirrors.map((mirror) => [mirror.id, mirror]));
      }),
    };
    entry.mirrors.catch(() => {
      if (this.lists.get(key) === entry) this.lists.delete(key);
    });
    this.lists.set(key, entry);
    return entry.mirrors;
  }

  /** Forget a project's list (after a change this process made to its mirrors). */
  forget(apiUrl: string, projectId: number): void {
    this.lists.delete(`${apiUrl}\n${projectId}`);
  }
}
