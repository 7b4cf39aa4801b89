/**
 * The ProjectMirrors lifecycle. Create and update share one reconciliation: list the project's mirrors
 * once, delete what must go first (GitLab caps enabled mirrors per project and rejects a duplicate URL),
 * then update, take over or create each declared entry. A declared URL that GitLab already holds is taken
 * over, so a run that was interrupted is completed by the next one, never duplicated.
 */
import { InvalidInputError, isMirrorNotFound, StepFailedAfterChangeError } from "../errors";
import type { RemoteMirror } from "../gitlab";
import { MirrorContext, scrubbingLogger } from "../mirror/context";
import { createAttributes, updateAttributes } from "../mirror/attributes";
import { diffMirror, NormalisedInputs, REPORTED_INPUT_FIELDS, withDefaults } from "../mirror";
import { inputsFromGitLab } from "../mirror/observed";
import { resolveProjectId } from "../mirror/project";
import { requestSync, syncMirror } from "../mirror/sync";
import { isSshUrl, urlSecrets } from "../mirror/url";
import { allRedactor } from "../redact";
import { credentialsChanged } from "./diff";
import { entryKey, MirrorEntry, ProjectMirrorsInputs } from "./inputs";
import { entryStateOf, EntryState, ProjectMirrorsState, targetOf, UnmanagedMirror, unmanagedOf } from "./state";

type Props = Record<string, unknown>;

/** What the last step recorded: its inputs (the program's, or a refresh's) and its state. */
export interface Recorded {
  inputs: Props;
  state: ProjectMirrorsState;
}

export interface ReadOutcome {
  state: ProjectMirrorsState;
  /** The inputs as GitLab has them (for a refresh to record), or undefined when they are as recorded. */
  inputs: Props;
}

interface Scoped {
  ctx: MirrorContext;
  scrub: (text: string) => string;
  label: string;
}

function scoped(base: MirrorContext, project: number | string, urls: readonly unknown[]): Scoped {
  const secrets = [base.token, ...urls.flatMap((url) => (typeof url === "string" ? urlSecrets(url) : []))];
  const scrub = allRedactor(secrets);
  return {
    ctx: { ...base, logger: scrubbingLogger(base.logger, secrets) },
    scrub,
    label: String(project),
  };
}

function urlsOf(inputs: Props | undefined): unknown[] {
  return Array.isArray(inputs?.mirrors) ? inputs.mirrors.map((entry) => (entry as Props | null)?.url) : [];
}

function needsPublicKey(entry: MirrorEntry): boolean {
  return entry.authMethod === "ssh_public_key" && isSshUrl(entry.url);
}

function asMirrorInputs(entry: MirrorEntry, project: number | string): NormalisedInputs {
  return { ...entry, project, adopt: false };
}

/** Mirrors by target, the newest first where older GitLab allowed a URL twice. */
function byTarget(mirrors: readonly RemoteMirror[]): Map<string, RemoteMirror> {
  const result = new Map<string, RemoteMirror>();
  for (const mirror of [...mirrors].sort((a, b) => b.id - a.id)) {
    const target = targetOf(mirror);
    if (target !== null && !result.has(target)) result.set(target, mirror);
  }
  return result;
}

/**
 * Brings GitLab to the declared set. `kept` always says what GitLab holds of the set (with the work still
 * pending on it), so a failure at any point throws with exactly that as the partial state.
 *
 * The project's list is read when something may have to be taken over (a mirror to create, new
 * credentials) or found (an exclusive set's undeclared mirrors); an update of recorded mirrors works from
 * their recorded ids, so disabling a fleet costs one PUT per mirror. A recorded mirror found gone is
 * created again.
 */
async function reconcile(
  s: Scoped,
  projectId: number,
  inputs: ProjectMirrorsInputs,
  recorded: Recorded | undefined,
): Promise<ProjectMirrorsState> {
  const { ctx, scrub, label } = s;
  const declared = new Map(inputs.mirrors.map((entry) => [entryKey(entry.url), entry]));
  const oldEntries = new Map<string, Props>();
  for (const entry of Array.isArray(recorded?.inputs.mirrors) ? (recorded.inputs.mirrors as Props[]) : []) {
    if (typeof entry?.url === "string") oldEntries.set(entryKey(entry.url), entry);
  }
  const recordedByTarget = new Map((recorded?.state.mirrors ?? []).map((entry) => [entry.target, entry]));
  const rotating = (target: string, entry: MirrorEntry): boolean => {
    const state = recordedByTarget.get(target);
    return state !== undefined && (state.pending === "replace" || credentialsChanged(oldEntries.get(target), entry));
  };
  const needsList =
    recorded === undefined || inputs.exclusive || [...declared].some(([target, entry]) => !recordedByTarget.has(target) || rotating(target, entry));

  let listing: Promise<RemoteMirror[]> | undefined;
  let live: RemoteMirror[] | undefined;
  const listLive = (): Promise<RemoteMirror[]> =>
    (listing ??= ctx.client.remoteMirrors.list(projectId).then((mirrors) => {
      live = mirrors;
      return mirrors;
    }));
  if (needsList) await listLive();
  const liveById = () => new Map((live ?? []).map((mirror) => [mirror.id, mirror]));
  const claimed = new Set<number>();

  const kept = new Map<string, EntryState>();
  for (const entry of recorded?.state.mirrors ?? []) {
    const mirror = live === undefined ? mirrorOfState(entry) : liveById().get(entry.mirrorId);
    if (mirror !== undefined) kept.set(entry.target, { ...entryStateOf(mirror, entry.target, scrub, entry.publicKey), ...(entry.pending ? { pending: entry.pending } : {}) });
  }
  const deleted = new Set<number>();
  const partial = (): ProjectMirrorsState => ({
    projectId,
    mirrors: orderedState(kept, inputs),
    unmanagedMirrors:
      live === undefined
        ? (recorded?.state.unmanagedMirrors ?? []).filter((mirror) => !deleted.has(mirror.id))
        : unmanaged(live, kept, declared, deleted, scrub),
  });

  try {
    const remove = async (mirrorId: number, why: string): Promise<void> => {
      try {
        await ctx.client.remoteMirrors.remove(projectId, mirrorId);
        ctx.logger.debug(`${label}: deleted mirror ${mirrorId} (${why})`);
      } catch (err) {
        if (!isMirrorNotFound(err)) throw err;
      }
      deleted.add(mirrorId);
    };

    // Deletions first: GitLab caps enabled mirrors and refuses a URL it already holds.
    for (const [target, state] of [...kept]) {
      if (declared.has(target)) continue;
      await remove(state.mirrorId, "no longer declared");
      kept.delete(target);
    }
    for (const [target, entry] of declared) {
      const state = kept.get(target);
      if (state === undefined || !rotating(target, entry)) continue;
      kept.set(target, { ...state, pending: "replace" });
      await remove(state.mirrorId, "new credentials");
      ctx.logger.info(`${label}: deleted mirror ${state.mirrorId} of ${target} to create it again with its new credentials`);
      kept.delete(target);
    }
    if (inputs.exclusive) {
      for (const mirror of unmanagedMirrors(await listLive(), kept, declared, deleted)) {
        ctx.logger.warn(`${label}: deleting mirror ${mirror.id} (${mirror.url === null ? "no URL" : scrub(mirror.url)}): no entry declares it and the set is exclusive`);
        await remove(mirror.id, "exclusive");
      }
    }

    /** A mirror of GitLab's that holds the target and that nothing else of the set claims, to take over. */
    const holderOf = async (target: string): Promise<RemoteMirror | undefined> => {
      const holder = byTarget((await listLive()).filter((mirror) => !deleted.has(mirror.id) && !claimed.has(mirror.id))).get(target);
      if (holder !== undefined) {
        ctx.logger.warn(
          `${label}: took over mirror ${holder.id} (${target}), which GitLab already held; GitLab does not reveal its credentials, so the declared ones are assumed`,
        );
      }
      return holder;
    };

    for (const state of kept.values()) claimed.add(state.mirrorId);
    await settleAll([...declared], ENTRY_CONCURRENCY, async ([target, entry]) => {
      const state = kept.get(target);
      const wanted = asMirrorInputs(entry, projectId);
      let mirror = state !== undefined ? (live === undefined ? mirrorOfState(state) : liveById().get(state.mirrorId)) : undefined;
      let changed = false;
      if (mirror !== undefined) {
        const attrs = attributesToPut(mirror, wanted);
        if (Object.keys(attrs).length > 0) {
          try {
            mirror = await ctx.client.remoteMirrors.update(projectId, mirror.id, attrs);
            changed = true;
            ctx.logger.debug(`${label}: updated mirror ${mirror.id} (${Object.keys(attrs).join(", ")})`);
          } catch (err) {
            if (!isMirrorNotFound(err)) throw err;
            ctx.logger.warn(`${label}: mirror ${mirror.id} (${target}) no longer exists in GitLab; creating it again`);
            kept.delete(target);
            mirror = undefined;
          }
        }
      }
      if (mirror === undefined) {
        const holder = await holderOf(target);
        if (holder !== undefined) {
          claimed.add(holder.id);
          kept.set(target, entryStateOf(holder, target, scrub));
          const attrs = attributesToPut(holder, wanted);
          mirror = Object.keys(attrs).length > 0 ? await ctx.client.remoteMirrors.update(projectId, holder.id, attrs) : holder;
        } else {
          mirror = await ctx.client.remoteMirrors.create(projectId, createAttributes(wanted));
          claimed.add(mirror.id);
          ctx.logger.debug(`${label}: created mirror ${mirror.id} (${target})`);
        }
        changed = true;
      }
      const recordedKey = state?.mirrorId === mirror.id && state.authMethod === entry.authMethod ? state.publicKey : undefined;
      const publicKey = needsPublicKey(entry) ? (recordedKey ?? (await ctx.client.remoteMirrors.publicKey(projectId, mirror.id))) : undefined;
      const triggered = oldEntries.has(target) && (oldEntries.get(target)?.syncTrigger ?? null) !== entry.syncTrigger;
      const wantsSync = (entry.syncOnApply && changed) || triggered || state?.pending === "sync";
      kept.set(target, { ...entryStateOf(mirror, target, scrub, publicKey), ...(wantsSync ? { pending: "sync" as const } : {}) });
      if (wantsSync) {
        const synced = await syncEntry(ctx, entry, projectId, mirror, label, scrub);
        kept.set(target, entryStateOf(synced, target, scrub, publicKey));
      }
    });
  } catch (err) {
    throw new StepFailedAfterChangeError<ProjectMirrorsState>(String(projectId), partial(), err);
  }
  return partial();
}

/** What a PUT must send to bring a mirror GitLab holds to the declared settings (nothing when it has them). */
function attributesToPut(mirror: RemoteMirror, wanted: NormalisedInputs) {
  return updateAttributes(diffMirror(inputsFromGitLab(wanted, mirror), wanted).updates, wanted);
}

/** Declared mirrors are created, updated or synced a few at a time: GitLab answers each quickly, the engine runs few sets at once. */
const ENTRY_CONCURRENCY = 4;

/**
 * Runs `work` on every item, at most `limit` at a time, and waits for all of them before throwing the
 * first failure: a request still under way when a sibling failed must be recorded too.
 */
async function settleAll<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item).catch((err: unknown) => failures.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
}

/** Sync a mirror unless it is disabled (GitLab answers 400 to that), waiting when the entry asks to. */
async function syncEntry(
  ctx: MirrorContext,
  entry: MirrorEntry,
  projectId: number,
  mirror: RemoteMirror,
  label: string,
  scrub: (text: string) => string,
): Promise<RemoteMirror> {
  const target = { projectId, mirrorId: mirror.id, label, scrub };
  if (!mirror.enabled) {
    ctx.logger.info(`${label}: not syncing mirror ${mirror.id}: it is disabled`);
    return mirror;
  }
  if (!entry.waitForSync) {
    await requestSync(ctx, target);
    return mirror;
  }
  return syncMirror(ctx, target, mirror, entry.syncTimeoutSeconds);
}

function unmanagedMirrors(
  live: readonly RemoteMirror[],
  kept: Map<string, EntryState>,
  declared: Map<string, MirrorEntry>,
  deleted: Set<number>,
): RemoteMirror[] {
  const claimed = new Set([...kept.values()].map((state) => state.mirrorId));
  return live.filter((mirror) => {
    if (claimed.has(mirror.id) || deleted.has(mirror.id)) return false;
    const target = targetOf(mirror);
    return target === null || !declared.has(target);
  });
}

function unmanaged(
  live: readonly RemoteMirror[],
  kept: Map<string, EntryState>,
  declared: Map<string, MirrorEntry>,
  deleted: Set<number>,
  scrub: (text: string) => string,
): UnmanagedMirror[] {
  return unmanagedMirrors(live, kept, declared, deleted)
    .sort((a, b) => a.id - b.id)
    .map((mirror) => unmanagedOf(mirror, scrub));
}

/** The state's entries in the order the program declares them, then any it no longer declares. */
function orderedState(kept: Map<string, EntryState>, inputs: ProjectMirrorsInputs): EntryState[] {
  const result: EntryState[] = [];
  for (const entry of inputs.mirrors) {
    const state = kept.get(entryKey(entry.url));
    if (state !== undefined) result.push(state);
  }
  const listed = new Set(result);
  for (const state of kept.values()) if (!listed.has(state)) result.push(state);
  return result;
}

export async function createProjectMirrors(inputs: ProjectMirrorsInputs, base: MirrorContext): Promise<{ id: string; state: ProjectMirrorsState }> {
  const s = scoped(base, inputs.project, inputs.mirrors.map((entry) => entry.url));
  const projectId = await resolveProjectId(s.ctx, inputs.project);
  const state = await reconcile(s, projectId, inputs, undefined);
  return { id: String(projectId), state };
}

export async function updateProjectMirrors(
  id: string,
  recorded: Recorded,
  inputs: ProjectMirrorsInputs,
  base: MirrorContext,
): Promise<ProjectMirrorsState> {
  const projectId = projectIdOf(id, recorded.state);
  const s = scoped(base, inputs.project, [...inputs.mirrors.map((entry) => entry.url), ...urlsOf(recorded.inputs)]);
  return reconcile(s, projectId, inputs, recorded);
}

/** The resource id is the project's numeric id; a recorded state that names another project is refused. */
function projectIdOf(id: string, state: ProjectMirrorsState | undefined): number {
  if (!/^[1-9][0-9]*$/.test(id) || !Number.isSafeInteger(Number(id))) {
    throw invalidId(id);
  }
  const projectId = Number(id);
  if (state !== undefined && state.projectId !== projectId) {
    throw invalidId(id, `its recorded state names project ${state.projectId}; nothing was changed`);
  }
  return projectId;
}

function invalidId(id: string, why = "a ProjectMirrors id is the project's numeric id"): InvalidInputError {
  return new InvalidInputError("id", `"${id.length > 64 ? `${id.slice(0, 64)}…` : id}" is not valid: ${why}`);
}

/**
 * Refresh, and import (nothing recorded: every mirror of the project becomes an entry, with GitLab's
 * masked URL, which a program declaring the real URL then matches with no change).
 */
export async function readProjectMirrors(id: string, recorded: Recorded | undefined, base: MirrorContext): Promise<ReadOutcome> {
  const projectId = projectIdOf(id, recorded?.state);
  const importing = recorded === undefined;
  const project = importing ? projectId : (recorded.inputs.project as number | string | undefined) ?? projectId;
  const s = scoped(base, project, urlsOf(recorded?.inputs));
  const live = await s.ctx.client.remoteMirrors.list(projectId);
  if (importing) return importSet(s, projectId, live);

  const liveById = new Map(live.map((mirror) => [mirror.id, mirror]));
  const oldEntries = Array.isArray(recorded.inputs.mirrors) ? (recorded.inputs.mirrors as Props[]) : [];
  const declared = new Map(oldEntries.filter((e) => typeof e?.url === "string").map((e) => [entryKey(e.url as string), e]));
  const kept = new Map<string, EntryState>();
  const gone: number[] = [];
  for (const entry of recorded.state.mirrors) {
    const mirror = liveById.get(entry.mirrorId);
    if (mirror === undefined) {
      gone.push(entry.mirrorId);
      continue;
    }
    const inputEntry = declared.get(entry.target);
    const keyStillValid = inputEntry !== undefined && mirror.authMethod === entry.authMethod;
    let publicKey = keyStillValid ? entry.publicKey : undefined;
    if (publicKey === undefined && inputEntry !== undefined && mirror.authMethod === "ssh_public_key" && isSshUrl(String(inputEntry.url))) {
      publicKey = await s.ctx.client.remoteMirrors.publicKey(projectId, mirror.id);
    }
    kept.set(entry.target, { ...entryStateOf(mirror, entry.target, s.scrub, publicKey), ...(entry.pending ? { pending: entry.pending } : {}) });
  }
  if (gone.length > 0) s.ctx.logger.warn(`${s.label}: mirror(s) ${gone.join(", ")} no longer exist in GitLab; the next update creates them again`);
  const declaredEntries = new Map([...declared].map(([key]) => [key, {} as MirrorEntry]));
  const state: ProjectMirrorsState = {
    projectId,
    mirrors: [...kept.values()],
    unmanagedMirrors: unmanaged(live, kept, declaredEntries, new Set(), s.scrub),
  };
  const newlyUnmanaged = state.unmanagedMirrors.filter((m) => !recorded.state.unmanagedMirrors.some((old) => old.id === m.id));
  for (const mirror of newlyUnmanaged) s.ctx.logger.warn(`${s.label}: mirror ${mirror.id} (${mirror.url ?? "no URL"}) is not declared by this set`);

  // The entries as GitLab has them: a change made outside Pulumi shows in the next diff.
  const mirrors = oldEntries.map((entry) => {
    const held = typeof entry?.url === "string" ? kept.get(entryKey(entry.url)) : undefined;
    if (held === undefined) return entry;
    const normalised = withDefaults({ ...entry, project: projectId });
    const observed = inputsFromGitLab(normalised, mirrorOfState(held));
    const result: Props = { ...entry };
    for (const name of [...REPORTED_INPUT_FIELDS, "hostKeys"] as const) {
      const value = observed[name];
      if (value === null) delete result[name];
      else result[name] = value;
    }
    return result;
  });
  return { state, inputs: { ...recorded.inputs, mirrors } };
}

/** A recorded entry in the client's shape, for the rules that compare GitLab's view with the inputs. */
function mirrorOfState(state: EntryState): RemoteMirror {
  return {
    id: state.mirrorId,
    enabled: state.enabled,
    url: state.maskedUrl,
    updateStatus: state.updateStatus,
    lastUpdateAt: state.lastUpdateAt ?? null,
    lastUpdateStartedAt: state.lastUpdateStartedAt ?? null,
    lastSuccessfulUpdateAt: state.lastSuccessfulUpdateAt ?? null,
    lastError: state.lastError ?? null,
    onlyProtectedBranches: state.onlyProtectedBranches,
    keepDivergentRefs: state.keepDivergentRefs,
    authMethod: state.authMethod,
    hostKeys: (state.hostKeyFingerprints ?? []).map((fingerprintSha256) => ({ fingerprintSha256 })),
    mirrorBranchRegex: state.mirrorBranchRegex ?? null,
  };
}

async function importSet(s: Scoped, projectId: number, live: readonly RemoteMirror[]): Promise<ReadOutcome> {
  const project = await s.ctx.client.projects.get(projectId);
  const entries: Props[] = [];
  const kept = new Map<string, EntryState>();
  for (const mirror of [...live].sort((a, b) => a.id - b.id)) {
    const target = targetOf(mirror);
    if (mirror.url === null || target === null || kept.has(target)) continue;
    const observed = inputsFromGitLab(withDefaults({ project: projectId, url: mirror.url }), mirror);
    const entry: Props = { url: mirror.url };
    for (const name of REPORTED_INPUT_FIELDS) {
      if (observed[name] !== null) entry[name] = observed[name];
    }
    entries.push(entry);
    kept.set(target, entryStateOf(mirror, target, s.scrub));
  }
  const skipped = live.length - entries.length;
  s.ctx.logger.info(`${project.pathWithNamespace}: imported ${entries.length} mirror(s)${skipped > 0 ? `; ${skipped} without a usable URL stay unmanaged` : ""}`);
  const declared = new Map([...kept.keys()].map((key) => [key, {} as MirrorEntry]));
  return {
    state: { projectId, mirrors: [...kept.values()], unmanagedMirrors: unmanaged(live, kept, declared, new Set(), s.scrub) },
    inputs: { project: project.pathWithNamespace, mirrors: entries },
  };
}

/**
 * Deletes the mirrors the set declares, by their recorded ids (one DELETE each; one already gone is
 * success), and only those: a mirror no entry declares is never touched.
 */
export async function deleteProjectMirrors(id: string, recorded: Recorded, base: MirrorContext): Promise<void> {
  const projectId = projectIdOf(id, recorded.state);
  const s = scoped(base, (recorded.inputs.project as number | string | undefined) ?? projectId, urlsOf(recorded.inputs));
  await settleAll(recorded.state.mirrors, ENTRY_CONCURRENCY, async (entry) => {
    try {
      await s.ctx.client.remoteMirrors.remove(projectId, entry.mirrorId);
      s.ctx.logger.debug(`${s.label}: deleted mirror ${entry.mirrorId}`);
    } catch (err) {
      if (!isMirrorNotFound(err)) throw err;
    }
  });
}
