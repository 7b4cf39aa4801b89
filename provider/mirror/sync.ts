import { SyncFailedError, SyncTimeoutError } from "../errors";
import type { RemoteMirror } from "../gitlab";
import type { MirrorContext } from "./context";

export interface SyncTarget {
  projectId: number;
  mirrorId: number;
  /** How log lines name the project (the input as given). */
  label: string;
  /** Masks the token and URL secrets in text taken from GitLab. */
  scrub: (text: string) => string;
}

const RUNNING = new Set(["started", "to_retry"]);

/** The first GETs come quickly (a small push takes well under a second), then back off to the poll interval. */
export const FIRST_POLL_MS = 250;
/** A wait that lasts says so at least this often, on the mirror it concerns. */
export const PROGRESS_EVERY_MS = 10_000;

/** The pause after the n-th GET (from 0): 250 ms, 500 ms, 1 s, … up to the poll interval. */
export function pollDelayMs(poll: number, intervalMs: number): number {
  return Math.min(intervalMs, FIRST_POLL_MS * 2 ** Math.min(poll, 20));
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
}

/**
 * POST …/sync, then poll until the run it asked for ends. GitLab answers 204 both when it
 * schedules a run and when one is already running, and it can defer a run by minutes, so a run counts as
 * ours once `last_update_started_at` moves past the value seen before the request (or, if a run was
 * already going, when that run ends). Returns the last mirror seen. While it waits, a line at least every
 * PROGRESS_EVERY_MS says what GitLab is doing.
 */
export async function syncMirror(
  ctx: MirrorContext,
  target: SyncTarget,
  before: Pick<RemoteMirror, "updateStatus" | "lastUpdateStartedAt">,
  timeoutSeconds: number,
): Promise<RemoteMirror> {
  const { projectId, mirrorId, label } = target;
  await requestSync(ctx, target);
  const asked = ctx.now();
  const deadline = asked + timeoutSeconds * 1000;
  const wasRunning = RUNNING.has(before.updateStatus);
  let lastStatus = before.updateStatus;
  let runningSince: number | undefined = wasRunning ? asked : undefined;
  let nextReport = asked + PROGRESS_EVERY_MS;
  for (let poll = 0; ; poll += 1) {
    const mirror = await ctx.client.remoteMirrors.get(projectId, mirrorId);
    if (mirror.updateStatus !== lastStatus) {
      ctx.logger.info(`${label}: mirror ${mirrorId} update_status ${mirror.updateStatus}`);
      lastStatus = mirror.updateStatus;
    }
    const ours = wasRunning || mirror.lastUpdateStartedAt !== before.lastUpdateStartedAt;
    if (ours && mirror.updateStatus === "finished") {
      ctx.logger.info(`${label}: mirror ${mirrorId} finished syncing`);
      return mirror;
    }
    if (ours && mirror.updateStatus === "failed") {
      const lastError = mirror.lastError === null ? null : target.scrub(mirror.lastError);
      throw new SyncFailedError({ project: label, mirrorId, lastError });
    }
    const now = ctx.now();
    const running = ours && RUNNING.has(mirror.updateStatus);
    if (running) runningSince ??= now;
    const remaining = deadline - now;
    if (remaining <= 0) throw new SyncTimeoutError({ project: label, mirrorId, timeoutSeconds, lastStatus });
    if (now >= nextReport) {
      const state = running
        ? `GitLab is still pushing (started ${seconds(now - (runningSince ?? asked))} s ago)`
        : `GitLab has not started the push yet (asked ${seconds(now - asked)} s ago; it may defer a sync by minutes)`;
      ctx.logger.info(`${label}: mirror ${mirrorId}: ${state}; waiting at most ${seconds(remaining)} s more (syncTimeoutSeconds)`);
      nextReport = now + PROGRESS_EVERY_MS;
    }
    await ctx.sleep(Math.max(0, Math.min(pollDelayMs(poll, ctx.pollIntervalMs), remaining, nextReport - now)));
  }
}

/** POST …/sync without waiting. */
export async function requestSync(ctx: MirrorContext, target: SyncTarget): Promise<void> {
  await ctx.client.remoteMirrors.sync(target.projectId, target.mirrorId);
  ctx.logger.info(`${target.label}: requested a sync of mirror ${target.mirrorId}`);
}
