import {
  InvalidInputError,
  isAmbiguousFailure,
  isMirrorNotFound,
  isUrlTaken,
  MirrorUrlTakenError,
  ProviderError,
  StepFailedAfterChangeError,
} from "../errors";
import type { RemoteMirror } from "../gitlab";
import { redactAll } from "../redact";
import { createAttributes, UPDATABLE_GITLAB_INPUTS, updateAttributes } from "./attributes";
import { MirrorContext, scrubbingLogger } from "./context";
import { diffMirror } from "./diff";
import { decodeRecordedInputs, NormalisedInputs, withDefaults } from "./inputs";
import { locate } from "./locate";
import { inputsFromGitLab } from "./observed";
import { buildOutputs, MirrorOutputs, resourceId } from "./outputs";
import { resolveProjectId } from "./project";
import type { RecordedMirror } from "./state";
import { requestSync, syncMirror, SyncTarget } from "./sync";
import { credentialFreeMaskedUrl, credentialFreeUrl, isSshUrl, maskedCredentialsProblem, urlSecrets } from "./url";

/** The RemoteMirror lifecycle: create, read, update, delete against GitLab through the injected client. */

export interface CreateResult {
  id: string;
  state: MirrorOutputs;
}

/**
 * `gone` when the mirror no longer exists in GitLab (the engine then drops it from the state). `inputs`
 * are the inputs as GitLab now has them (for an import, all it knows of them).
 */
export type ReadResult = { gone: false; id: string; state: MirrorOutputs; inputs: NormalisedInputs } | { gone: true };

/** Per-call view of the context: a logger and a scrubber that know this mirror's secrets. */
function scoped(ctx: MirrorContext, url: string | undefined): { ctx: MirrorContext; scrub: (text: string) => string } {
  const mirrorSecrets = url !== undefined ? urlSecrets(url) : [];
  const secrets = [ctx.token, ...mirrorSecrets];
  return {
    // GitLab may quote the password back to any call about the mirror, not only to its create.
    ctx: { ...ctx, client: ctx.client.withSecrets(mirrorSecrets), logger: scrubbingLogger(ctx.logger, secrets) },
    scrub: (text: string) => redactAll(text, secrets),
  };
}

function needsPublicKey(inputs: NormalisedInputs): boolean {
  return inputs.authMethod === "ssh_public_key" && isSshUrl(inputs.url);
}

function sameTarget(mirror: RemoteMirror, url: string): boolean {
  return credentialFreeMaskedUrl(mirror.url) === credentialFreeUrl(url);
}

/** The newest mirror of the project whose credential-free URL is the one given. */
async function findMirrorByUrl(ctx: MirrorContext, projectId: number, url: string): Promise<RemoteMirror | undefined> {
  const matches = (await ctx.client.remoteMirrors.list(projectId)).filter((m) => sameTarget(m, url));
  return matches.sort((a, b) => b.id - a.id)[0];
}

/**
 * The mirror an interrupted POST made: the only one with the URL that has never run. Older GitLab allows
 * the same URL twice in a project, so a mirror that has already pushed, or a second candidate, may belong to
 * someone else: then nothing is taken, and `adopt: true` is the way to take over an existing mirror.
 */
async function findFreshMirrorByUrl(ctx: MirrorContext, projectId: number, url: string): Promise<RemoteMirror | undefined> {
  const candidates = (await ctx.client.remoteMirrors.list(projectId)).filter(
    (m) => sameTarget(m, url) && m.updateStatus === "none" && m.lastUpdateStartedAt === null,
  );
  if (candidates.length > 1) {
    ctx.logger.warn(`${credentialFreeUrl(url)}: ${candidates.length} unused mirrors have this URL; taking none (set adopt: true to take one over)`);
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** GitLab's "url has already been taken", with the mirror that holds the URL named, when a list finds it. */
async function urlTakenError(ctx: MirrorContext, projectId: number, url: string, err: unknown): Promise<unknown> {
  const holder = await findMirrorByUrl(ctx, projectId, url).catch(() => undefined);
  if (holder === undefined) return err;
  return new MirrorUrlTakenError({ projectId, mirrorId: holder.id, target: credentialFreeUrl(url) }, { cause: err });
}

export async function createMirror(baseCtx: MirrorContext, inputs: NormalisedInputs): Promise<CreateResult> {
  const masked = maskedCredentialsProblem(inputs.url);
  if (masked !== null) throw new InvalidInputError("url", masked);
  const { ctx, scrub } = scoped(baseCtx, inputs.url);
  const name = String(inputs.project);
  const target = credentialFreeUrl(inputs.url);
  const projectId = await resolveProjectId(ctx, inputs.project);

  let mirror: RemoteMirror | undefined;
  let existing = false;
  if (inputs.adopt) {
    mirror = await findMirrorByUrl(ctx, projectId, inputs.url);
    existing = mirror !== undefined;
    if (mirror !== undefined) {
      ctx.logger.warn(
        `${name}: adopted existing mirror ${mirror.id} (${target}); GitLab does not reveal its credentials, so the credentials in url are assumed to be the ones it uses`,
      );
    }
  }
  if (mirror === undefined) {
    try {
      ctx.mirrorLists.forget(ctx.client.apiUrl, projectId);
      mirror = await ctx.client.remoteMirrors.create(projectId, createAttributes(inputs));
      ctx.logger.debug(`${name}: created mirror ${mirror.id} (${target})`);
    } catch (err) {
      if (isUrlTaken(err)) throw await urlTakenError(ctx, projectId, inputs.url, err);
      if (!isAmbiguousFailure(err)) throw err;
      // The POST may have reached GitLab: look before anyone tries again, and never POST twice.
      ctx.logger.warn(`${name}: creating the mirror for ${target} may have failed; looking for it`);
      const found = await findFreshMirrorByUrl(ctx, projectId, inputs.url).catch(() => undefined);
      if (found === undefined) throw err;
      mirror = found;
      existing = true;
      ctx.logger.info(`${name}: found mirror ${mirror.id} (${target}) created by the interrupted request`);
    }
  }

  const id = resourceId(projectId, mirror.id);
  // Until the PUT below succeeds, an adopted or recovered mirror is recorded as GitLab has it.
  let outputs = buildOutputs(inputsFromGitLab(inputs, mirror), projectId, mirror, undefined, scrub);
  try {
    // An adopted or recovered mirror may differ from the inputs; one we just created matches them.
    const changed = existing ? diffMirror(outputs, inputs).updates.filter((f) => UPDATABLE_GITLAB_INPUTS.includes(f)) : [];
    const attrs = updateAttributes(changed, inputs);
    if (Object.keys(attrs).length > 0) {
      mirror = await ctx.client.remoteMirrors.update(projectId, mirror.id, attrs);
      ctx.logger.debug(`${name}: updated mirror ${mirror.id} (${Object.keys(attrs).join(", ")})`);
    }
    const publicKey = needsPublicKey(inputs) ? await ctx.client.remoteMirrors.publicKey(projectId, mirror.id) : undefined;
    outputs = buildOutputs(inputs, projectId, mirror, publicKey, scrub);
    if (inputs.syncOnApply) {
      mirror = (await maybeSync(ctx, inputs, { projectId, mirrorId: mirror.id, label: name, scrub }, mirror)) ?? mirror;
      outputs = buildOutputs(inputs, projectId, mirror, publicKey, scrub);
    }
  } catch (err) {
    throw new StepFailedAfterChangeError<MirrorOutputs>(id, inputs.syncOnApply ? { ...outputs, syncPending: true } : outputs, err);
  }
  return { id, state: outputs };
}

/**
 * Sync (and wait, if asked) unless the mirror is disabled: GitLab answers 400 to a sync of a disabled
 * mirror. `current` is the mirror as last seen; without it, and without waiting, only the sync is sent.
 */
async function maybeSync(
  ctx: MirrorContext,
  inputs: NormalisedInputs,
  target: SyncTarget,
  current: RemoteMirror | undefined,
): Promise<RemoteMirror | undefined> {
  const enabled = current?.enabled ?? inputs.enabled;
  if (!enabled) {
    ctx.logger.info(`${target.label}: not syncing mirror ${target.mirrorId}: it is disabled`);
    return current;
  }
  if (!inputs.waitForSync) {
    await requestSync(ctx, target);
    return current;
  }
  const before = current ?? (await ctx.client.remoteMirrors.get(target.projectId, target.mirrorId));
  return syncMirror(ctx, target, before, inputs.syncTimeoutSeconds);
}

/**
 * Refresh, and import. A mirror 404 means the mirror is gone (empty id); a project 404, 401 or 403 is
 * thrown, never taken as "gone": a token that lost its rights must not drop the mirror from the state.
 *
 * An import has no stored properties: the inputs are then made from what GitLab reports, with the
 * project's full path and GitLab's masked URL (the diff takes its credentials as unknown, so a program
 * that declares the same target with real credentials shows no change).
 */
export async function readMirror(baseCtx: MirrorContext, id: string, recorded: RecordedMirror | undefined): Promise<ReadResult> {
  const { projectId, mirrorId } = locate(id, recorded);
  const { ctx, scrub } = scoped(baseCtx, recorded?.url);
  const name = nameOf(recorded, projectId);
  // One list per project answers every read of a refresh; a failed list is an error, never "gone".
  const listed = await ctx.mirrorLists.get(ctx.client.apiUrl, projectId, ctx.now, () => ctx.client.remoteMirrors.list(projectId));
  const mirror = listed.get(mirrorId);
  if (mirror === undefined) {
    ctx.logger.warn(`${name}: mirror ${mirrorId} no longer exists in GitLab`);
    return { gone: true };
  }
  const importing = recorded === undefined;
  const stored: NormalisedInputs = recorded ?? (await importedInputs(ctx, projectId, mirror));
  const observed = inputsFromGitLab(stored, mirror);
  // GitLab keeps a mirror's key pair until its auth method changes: ask only when none is recorded or
  // the method changed outside Pulumi.
  const storedKey = stored.authMethod === observed.authMethod ? recorded?.publicKey : undefined;
  const publicKey = needsPublicKey(observed) ? (storedKey ?? (await ctx.client.remoteMirrors.publicKey(projectId, mirrorId))) : undefined;
  const outputs = buildOutputs(observed, projectId, mirror, publicKey, scrub);
  const drift = importing ? [] : diffMirror(buildOutputs(stored, projectId, mirror, publicKey, scrub), observed).updates;
  // Drift and imports are news; a refresh that found a mirror as recorded is routine.
  const line = `${name}: ${importing ? "imported" : "read"} mirror ${mirrorId} (${mirror.updateStatus})${drift.length > 0 ? `; changed outside Pulumi: ${drift.join(", ")}` : ""}`;
  if (importing || drift.length > 0) ctx.logger.info(line);
  else ctx.logger.debug(line);
  return { gone: false, id: resourceId(projectId, mirrorId), state: outputs, inputs: observed };
}

/** How log lines name the mirror's project: as the program wrote it, or by id when nothing is recorded. */
function nameOf(recorded: RecordedMirror | undefined, projectId: number): string {
  const project = recorded?.project;
  return String(typeof project === "string" || typeof project === "number" ? project : projectId);
}

async function importedInputs(ctx: MirrorContext, projectId: number, mirror: RemoteMirror): Promise<NormalisedInputs> {
  if (mirror.url === null) {
    throw new InvalidInputError("id", `GitLab returned no URL for mirror ${mirror.id} of project ${projectId}, so it cannot be imported`);
  }
  const project = await ctx.client.projects.get(projectId);
  return withDefaults({ project: project.pathWithNamespace, url: mirror.url });
}

/**
 * PUT only what changed; no request at all when nothing GitLab knows changed. A sync that an earlier
 * step asked for and did not complete (`syncPending` in the state) is asked for again.
 *
 * A failed PUT leaves the stored state as it was, so the next `up` tries again. Once the PUT went
 * through, a later failure (public key, sync) carries the new state, except that `syncTrigger` keeps its
 * old value: the sync it asked for did not complete, and the next `up` should ask again.
 */
export async function updateMirror(
  baseCtx: MirrorContext,
  id: string,
  recorded: RecordedMirror | undefined,
  inputs: NormalisedInputs,
): Promise<{ state: MirrorOutputs }> {
  const { ctx, scrub } = scoped(baseCtx, inputs.url);
  const { projectId, mirrorId } = locate(id, recorded);
  const name = String(inputs.project);
  // Nothing recorded differs from any input: the diff then asks for a replacement, which is refused below.
  const diff = diffMirror(recorded ?? decodeRecordedInputs({}), inputs);
  if (diff.replaces.length > 0) {
    throw new ProviderError(`${diff.replaces[0]} changed, which needs a replacement, not an update`);
  }
  const attrs = updateAttributes(diff.updates, inputs);
  let mirror: RemoteMirror | undefined;
  if (Object.keys(attrs).length > 0) {
    ctx.mirrorLists.forget(ctx.client.apiUrl, projectId);
    mirror = await ctx.client.remoteMirrors.update(projectId, mirrorId, attrs);
    ctx.logger.debug(`${name}: updated mirror ${mirrorId} (${Object.keys(attrs).join(", ")})`);
  }
  const { syncPending: _pending, ...stored } = recorded ?? {};
  let outputs: MirrorOutputs =
    mirror !== undefined
      ? buildOutputs(inputs, projectId, mirror, undefined, scrub)
      : // What GitLab last reported, as recorded: no request has changed it.
        ({ ...stored, ...inputs, projectId, mirrorId } as MirrorOutputs);
  const triggered = diff.updates.includes("syncTrigger");
  const wantsSync = (inputs.syncOnApply && mirror !== undefined) || triggered || recorded?.syncPending === true;
  try {
    let publicKey = needsPublicKey(inputs) ? recorded?.publicKey : undefined;
    if (needsPublicKey(inputs) && (publicKey === undefined || diff.updates.includes("authMethod"))) {
      publicKey = await ctx.client.remoteMirrors.publicKey(projectId, mirrorId);
    }
    outputs = withPublicKey(outputs, publicKey);
    if (wantsSync) {
      const synced = await maybeSync(ctx, inputs, { projectId, mirrorId, label: name, scrub }, mirror);
      if (synced !== undefined) outputs = buildOutputs(inputs, projectId, synced, publicKey, scrub);
    }
  } catch (err) {
    const kept = triggered ? { ...outputs, syncTrigger: recorded?.syncTrigger ?? null } : outputs;
    throw new StepFailedAfterChangeError<MirrorOutputs>(id, wantsSync ? { ...kept, syncPending: true } : kept, err);
  }
  return { state: outputs };
}

function withPublicKey(outputs: MirrorOutputs, publicKey: string | undefined): MirrorOutputs {
  const { publicKey: _old, ...rest } = outputs;
  return publicKey === undefined ? rest : { ...rest, publicKey };
}

/** DELETE; a mirror that is already gone is success. */
export async function deleteMirror(baseCtx: MirrorContext, id: string, recorded: RecordedMirror | undefined): Promise<void> {
  const { projectId, mirrorId } = locate(id, recorded);
  const { ctx } = scoped(baseCtx, recorded?.url);
  const name = nameOf(recorded, projectId);
  try {
    ctx.mirrorLists.forget(ctx.client.apiUrl, projectId);
    await ctx.client.remoteMirrors.remove(projectId, mirrorId);
    ctx.logger.debug(`${name}: deleted mirror ${mirrorId}`);
  } catch (err) {
    if (!isMirrorNotFound(err)) throw err;
    ctx.logger.info(`${name}: mirror ${mirrorId} was already gone`);
  }
}
