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

/**
 * POST …/sync, then poll until the run it asked for ends. GitLab answers 204 both when it
 * schedules a run and when one is already running, and it can defer a run by minutes, so a run counts as
 * ours once `last_update_started_at` moves past the value seen before the request (or, if a run was
 * already going, when that run ends). Returns the last mirror seen.
 */
export async function syncMirror(
  ctx: MirrorContext,
  target: SyncTarget,
  before: Pick<RemoteMirror, "updateStatus" | "lastUpdateStartedAt">,
  timeoutSeconds: number,
): Promise<RemoteMirror> {
  const { projectId, mirrorId, label } = target;
  await requestSync(ctx, target);
  const timeoutMs = timeoutSeconds * 1000;
  const deadline = ctx.now() + timeoutMs;
  const wasRunning = RUNNING.has(before.updateStatus);
  let lastStatus = before.updateStatus;
  for (;;) {
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
    const remaining = deadline - ctx.now();
    if (remaining <= 0) throw new SyncTimeoutError({ project: label, mirrorId, timeoutSeconds, lastStatus });
    await ctx.sleep(Math.min(ctx.pollIntervalMs, remaining));
  }
}

/** POST …/sync without waiting. */
export async function requestSync(ctx: MirrorContext, target: SyncTarget): Promise<void> {
  await ctx.client.remoteMirrors.sync(target.projectId, target.mirrorId);
  ctx.logger.info(`${target.label}: requested a sync of mirror ${target.mirrorId}`);
}
