/**
 * GitLab's mirror worker: RemoteMirror#sync schedules a run (delayed by the back-off when the last
 * run started recently), the worker skips runs that a newer start has made redundant, runs one
 * update at a time per mirror, and retries git failures three times before failing
 * (RepositoryUpdateRemoteMirrorWorker, Projects::UpdateRemoteMirrorService).
 */
import type { Clock, TimerHandle } from "../clock";
import type { Store } from "../store";
import type { Repositories } from "../git/repositories";
import { mirrorSecrets, scrubSecrets } from "../git/scrub";
import { blockReason, fullUrl } from "../model/mirror-url";
import type { MirrorRecord, ProjectRecord } from "../model/types";
import { computedEnabled } from "../api/context";
import { divergedMessage } from "./ref-plan";
import type { MirrorPusher } from "./pusher";
import { pushTarget } from "./push-target";

export const MAX_TRIES = 3;
export const PROTECTED_BACKOFF_MS = 60_000;
export const UNPROTECTED_BACKOFF_MS = 5 * 60_000;

export class MirrorScheduler {
  private readonly timers = new Set<TimerHandle>();
  /** Per-mirror chain: one update at a time, like the worker's exclusive lease. */
  private readonly leases = new Map<number, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly pusher: MirrorPusher,
  ) {}

  backoffDelay(mirror: MirrorRecord): number {
    if (!this.store.settings.syncBackoff) return 0;
    return mirror.onlyProtectedBranches ? PROTECTED_BACKOFF_MS : UNPROTECTED_BACKOFF_MS;
  }

  /** RemoteMirror#sync. */
  sync(mirrorId: number): void {
    const mirror = this.store.findMirror(mirrorId);
    const project = mirror && this.store.findProjectById(mirror.projectId);
    if (!mirror || !project || !computedEnabled({ store: this.store, repos: this.repos }, mirror, project)) return;
    const now = this.clock.now();
    const delay = this.backoffDelay(mirror);
    const recentlyScheduled = mirror.lastUpdateStartedAt !== null && delay > 0 && mirror.lastUpdateStartedAt >= now - delay;
    this.schedule(mirrorId, now, recentlyScheduled ? delay : 0, 0);
  }

  /** Project#update_remote_mirrors after a push: every enabled mirror. */
  onProjectPush(projectId: number): void {
    for (const mirror of this.store.mirrorsOf(projectId)) if (mirror.enabled) this.sync(mirror.id);
  }

  /** Resolves when no update is running or scheduled to run at once. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    await this.idle();
  }

  /** Forgets scheduled runs (used by reset) after the running ones finish. */
  async drain(): Promise<void> {
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    await this.idle();
  }

  private schedule(mirrorId: number, scheduledAt: number, delayMs: number, tries: number): void {
    if (this.closed) return;
    // A run due now counts as in flight from the moment it is scheduled, so `idle()` waits for it
    // (and for its retries) rather than returning in the gap before the timer fires.
    let release: () => void = () => undefined;
    const pending = delayMs <= 0 ? new Promise<void>((resolve) => { release = resolve; }) : undefined;
    if (pending) this.inFlight.add(pending);
    const settle = (): void => {
      if (pending) this.inFlight.delete(pending);
      release();
    };
    const timer: TimerHandle = this.clock.setTimeout(() => {
      this.timers.delete(entry);
      if (this.closed) {
        settle();
        return;
      }
      const run: Promise<void> = this.perform(mirrorId, scheduledAt, tries).finally(() => {
        this.inFlight.delete(run);
        settle();
      });
      this.inFlight.add(run);
    }, delayMs);
    const entry: TimerHandle = {
      cancel: () => {
        timer.cancel();
        settle();
      },
    };
    this.timers.add(entry);
  }

  private async perform(mirrorId: number, scheduledAt: number, tries: number): Promise<void> {
    const previous = this.leases.get(mirrorId) ?? Promise.resolve();
    const mine = previous.then(() => this.runOnce(mirrorId, scheduledAt, tries)).catch(() => undefined);
    this.leases.set(mirrorId, mine);
    await mine;
    if (this.leases.get(mirrorId) === mine) this.leases.delete(mirrorId);
  }

  private mirrorAndProject(mirrorId: number): { mirror: MirrorRecord; project: ProjectRecord } | undefined {
    const mirror = this.store.findMirror(mirrorId);
    const project = mirror && this.store.findProjectById(mirror.projectId);
    return mirror && project ? { mirror, project } : undefined;
  }

  private async runOnce(mirrorId: number, scheduledAt: number, tries: number): Promise<void> {
    const found = this.mirrorAndProject(mirrorId);
    if (!found) return;
    const { mirror, project } = found;
    // `updated_since?`: a run started after this one was scheduled already pushed everything.
    // A failed or retrying mirror is never considered up to date.
    const settled = mirror.updateStatus !== "failed" && mirror.updateStatus !== "to_retry";
    if (settled && mirror.lastUpdateStartedAt !== null && mirror.lastUpdateStartedAt > scheduledAt) return;
    if (!computedEnabled({ store: this.store, repos: this.repos }, mirror, project)) return;
    const blocked = blockReason(fullUrl(mirror.url, mirror.credentials), { allowLocalRequests: this.store.settings.allowLocalRequests });
    if (blocked) {
      this.retryOrFail(mirror, `The remote mirror URL is invalid: ${blocked}`, scheduledAt, tries, true);
      return;
    }
    const now = this.clock.now();
    this.store.updateMirror(mirrorId, (m) => {
      m.updateStatus = "started";
      m.lastUpdateStartedAt = now;
      m.updatedAt = now;
    });
    const target = pushTarget(mirror.url, mirror.credentials.user, this.store.settings.allowRemotePushes);
    if (!target.ok) {
      // Like a connection that cannot be made, but certain to fail again: no retries.
      this.fail(mirror.id, target.reason);
      return;
    }
    try {
      const { plan } = await this.pusher.push(mirror, project, target.target);
      const finishedAt = this.clock.now();
      this.store.updateMirror(mirrorId, (m) => {
        if (m.updateStatus !== "started") return;
        if (plan.diverged.length > 0) {
          m.updateStatus = "failed";
          m.lastError = divergedMessage(plan.diverged);
          m.lastUpdateAt = finishedAt;
        } else {
          m.updateStatus = "finished";
          m.lastError = null;
          m.lastUpdateAt = finishedAt;
          m.lastSuccessfulUpdateAt = finishedAt;
        }
        m.updatedAt = finishedAt;
      });
    } catch (err) {
      const message = scrubSecrets(err instanceof Error ? err.message : String(err), mirrorSecrets(mirror.credentials));
      this.retryOrFail(mirror, message, scheduledAt, tries, false);
    }
  }

  /** `update_fail`: started -> failed, with `last_update_at`. */
  private fail(mirrorId: number, message: string): void {
    const now = this.clock.now();
    this.store.updateMirror(mirrorId, (m) => {
      if (m.updateStatus !== "started") return;
      m.updateStatus = "failed";
      m.lastError = message;
      m.lastUpdateAt = now;
      m.updatedAt = now;
    });
  }

  private retryOrFail(mirror: MirrorRecord, message: string, scheduledAt: number, tries: number, force: boolean): void {
    const now = this.clock.now();
    const retry = tries < MAX_TRIES;
    this.store.updateMirror(mirror.id, (m) => {
      if (!force && m.updateStatus !== "started") return;
      m.updateStatus = retry ? "to_retry" : "failed";
      m.lastError = message;
      if (!retry) m.lastUpdateAt = now;
      m.updatedAt = now;
    });
    if (retry) this.schedule(mirror.id, scheduledAt, this.backoffDelay(mirror), tries + 1);
  }
}
