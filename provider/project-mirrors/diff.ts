/**
 * The ProjectMirrors diff: pure and local. Entries are matched by their credential-free URL, so reordering
 * them is no change. Each entry is compared twice: with the inputs last recorded (what the program or a
 * refresh said) and with the recorded state (what GitLab held after the last step, which differs when a
 * step failed halfway). A change of an entry's credentials replaces that mirror inside an update of the set.
 */
import { decodePlannedInputs, decodeRecordedInputs, diffMirror, isUnknown, REPORTED_INPUT_FIELDS, withDefaults } from "../mirror";
import { fingerprintOfEntry, sameFingerprints } from "../mirror/host-keys";
import { parseMirrorUrl } from "../mirror/url";
import { ENTRY_FIELDS, EntryField, entryKey, entryWithDefaults } from "./inputs";
import type { EntryState, ProjectMirrorsState } from "./state";

export type DiffKind = "add" | "update" | "delete" | "update-replace";

export interface PropertyChange {
  kind: DiffKind;
  /** True when the change is between recorded and new inputs; false when it is about the recorded state. */
  inputDiff: boolean;
}

export interface ProjectMirrorsDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** By property path (`mirrors[2].enabled`, `unmanagedMirrors[0]`): what the engine shows. */
  detailed: Record<string, PropertyChange>;
}

type Props = Record<string, unknown>;

/** GitLab's attributes that the state records as GitLab reports them: the table's `reported` inputs. */
const REPORTED = REPORTED_INPUT_FIELDS as readonly EntryField[];

function entriesOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function keyOf(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null) return undefined;
  const url = (entry as Props).url;
  return typeof url === "string" && parseMirrorUrl(url).ok ? entryKey(url) : undefined;
}

/** Whether every value of the entry is known (during a preview any of them may be UNKNOWN). */
function fullyKnown(entry: Props): boolean {
  return ENTRY_FIELDS.every((name) => {
    const value = entry[name];
    return !isUnknown(value) && !(Array.isArray(value) && value.some(isUnknown));
  });
}

/** The fields of a new entry that differ from what GitLab holds according to the state. */
function stateChanges(state: EntryState, entry: Props): EntryField[] {
  const declared = entryWithDefaults(entry);
  const changed: EntryField[] = [];
  // The state leaves out what GitLab reports as unset; the declared entry holds null there.
  const held: Partial<Record<EntryField, unknown>> = state;
  for (const name of REPORTED) if ((held[name] ?? null) !== declared[name]) changed.push(name);
  const declaredFingerprints = declared.hostKeys.map(fingerprintOfEntry);
  const heldFingerprints = state.hostKeyFingerprints ?? [];
  if (declaredFingerprints.every((fp): fp is string => fp !== null) && !sameFingerprints(declaredFingerprints, heldFingerprints)) {
    changed.push("hostKeys");
  }
  if (state.pending === "replace") changed.push("url");
  return changed;
}

/**
 * `olds` are the recorded inputs (may be empty for a resource recorded without them), `state` the recorded
 * outputs, `news` the checked new inputs.
 */
export function diffProjectMirrors(olds: Props, state: ProjectMirrorsState | undefined, news: Props): ProjectMirrorsDiff {
  const detailed: Record<string, PropertyChange> = {};
  const projectDiff = diffMirror(
    decodeRecordedInputs({ project: olds.project ?? news.project, projectId: state?.projectId }),
    decodePlannedInputs({ project: news.project }),
  );
  const replaces = projectDiff.replaces.includes("project") ? ["project"] : [];
  if (replaces.length > 0) detailed.project = { kind: "update-replace", inputDiff: true };

  const oldExclusive = olds.exclusive === true;
  if (isUnknown(news.exclusive) || (news.exclusive === true) !== oldExclusive) detailed.exclusive = { kind: "update", inputDiff: true };

  const oldEntries = entriesOf(olds.mirrors);
  const oldByKey = new Map<string, { entry: Props; index: number }>();
  oldEntries.forEach((entry, index) => {
    const key = keyOf(entry);
    if (key !== undefined) oldByKey.set(key, { entry: entry as Props, index });
  });
  const recorded = state?.mirrors ?? [];
  const stateByTarget = new Map(recorded.map((entry, index) => [entry.target, { entry, index }]));

  const declared = new Set<string>();
  // An entry whose URL is not known yet may be any recorded mirror: then none is shown as deleted.
  let unknownKey = false;
  if (isUnknown(news.mirrors)) {
    detailed.mirrors = { kind: "update", inputDiff: true };
  } else {
    entriesOf(news.mirrors).forEach((raw, index) => {
      const at = `mirrors[${index}]`;
      const key = keyOf(raw);
      if (key === undefined || !fullyKnown(raw as Props)) {
        // An entry whose URL is not known yet may be any mirror: it counts as a change, and as declaring
        // nothing that could be deleted meanwhile.
        if (key !== undefined) declared.add(key);
        else unknownKey = true;
        detailed[at] = { kind: stateByTarget.has(key ?? "") ? "update" : "add", inputDiff: true };
        return;
      }
      declared.add(key);
      const entry = raw as Props;
      const held = stateByTarget.get(key);
      if (held === undefined) {
        detailed[at] = { kind: "add", inputDiff: true };
        return;
      }
      const old = oldByKey.get(key);
      const changed = new Set<EntryField>(stateChanges(held.entry, entry));
      if (old !== undefined) {
        const { updates, replaces: urlChange } = diffMirror(decodeRecordedInputs({ ...old.entry, project: 1 }), decodePlannedInputs({ ...entry, project: 1 }));
        for (const name of [...updates, ...urlChange]) if (name !== "project" && name !== "adopt") changed.add(name);
      }
      if (held.entry.pending === "sync") changed.add("syncTrigger");
      for (const name of changed) detailed[`${at}.${name}`] = { kind: "update", inputDiff: old !== undefined };
    });
  }

  if (!isUnknown(news.mirrors) && !unknownKey) {
    for (const { entry, index } of stateByTarget.values()) {
      if (declared.has(entry.target)) continue;
      const old = oldByKey.get(entry.target);
      if (old !== undefined) detailed[`mirrors[${old.index}]`] = { kind: "delete", inputDiff: true };
      else detailed[`mirrors[${index}]`] = { kind: "delete", inputDiff: false };
    }
  }
  const exclusive = isUnknown(news.exclusive) || news.exclusive === true;
  if (exclusive) {
    (state?.unmanagedMirrors ?? []).forEach((_mirror, index) => {
      detailed[`unmanagedMirrors[${index}]`] = { kind: "delete", inputDiff: false };
    });
  }
  return {
    changes: Object.keys(detailed).length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && projectDiff.deleteBeforeReplace,
    detailed,
  };
}

/** Whether two recorded entries hold the same credentials (GitLab's masked URL counts as the same). */
export function credentialsChanged(oldEntry: Props | undefined, newEntry: { url: string }): boolean {
  if (oldEntry === undefined) return false;
  const { replaces } = diffMirror(decodeRecordedInputs({ url: oldEntry.url, project: 1 }), decodePlannedInputs({ url: newEntry.url, project: 1 }));
  return replaces.includes("url");
}

/** The project as the inputs give it, normalised. */
export function projectOf(raw: Props): number | string {
  return withDefaults({ project: raw.project, url: "" }).project;
}
