/**
 * The ProjectMirrors inputs: a project and its push mirrors as a list of entries. An entry has
 * RemoteMirror's per-mirror inputs, taken from the same field table (provider/mirror/fields.ts), with the
 * same defaults and rules; only `project` (the set's own) and `adopt` (a set always takes over a mirror
 * GitLab already holds for a declared URL) are not entry settings.
 */
import {
  CheckFailure,
  inputsToRecord,
  fieldMeta,
  INPUT_FIELDS,
  InputField,
  checkInputs,
  isUnknown,
  mirrorInputsSchema,
  withDefaults,
  NormalisedInputs,
} from "../mirror";
import { credentialFreeUrl, parseMirrorUrl } from "../mirror/url";

export type EntryField = Exclude<InputField, "project" | "adopt">;
export const ENTRY_FIELDS: readonly EntryField[] = Object.freeze(
  INPUT_FIELDS.filter((name): name is EntryField => name !== "project" && name !== "adopt"),
);

/** One declared mirror, every default applied. */
export type MirrorEntry = Pick<NormalisedInputs, EntryField>;

export interface ProjectMirrorsInputs {
  project: number | string;
  mirrors: MirrorEntry[];
  exclusive: boolean;
}

/** GitLab's cap on enabled push mirrors per project (GitLab 18.9 and later). */
export const MAX_ENABLED_MIRRORS = 10;

export const EXCLUSIVE_DESCRIPTION =
  "Own the project's whole set of push mirrors: mirrors that no entry declares are reported in `unmanagedMirrors` and deleted by the next update. Default: `false` (they are only reported).";

/** An entry's identity: its URL without credentials, as GitLab compares URLs for uniqueness. */
export function entryKey(url: string): string {
  return credentialFreeUrl(url);
}

type Props = Record<string, unknown>;

function isObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Every problem of a set's inputs at once, without network I/O, tolerant of the preview's unknown values.
 * An entry's problems are named by their path (`mirrors[3].enabled`).
 */
export function checkProjectMirrorsInputs(raw: Props): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const project = raw.project;
  const projectKnown = project !== undefined && project !== null && !isUnknown(project);
  if (project === undefined || project === null) failures.push({ property: "project", reason: "is required" });
  else if (projectKnown) {
    const parsed = mirrorInputsSchema.shape.project.safeParse(project);
    if (!parsed.success) failures.push({ property: "project", reason: parsed.error.issues[0].message });
  }
  if (raw.exclusive !== undefined && raw.exclusive !== null && !isUnknown(raw.exclusive) && typeof raw.exclusive !== "boolean") {
    failures.push({ property: "exclusive", reason: "must be true or false" });
  }
  for (const key of Object.keys(raw)) {
    if (!["project", "mirrors", "exclusive"].includes(key)) failures.push({ property: key, reason: "is not a ProjectMirrors input" });
  }
  const mirrors = raw.mirrors;
  if (mirrors === undefined || mirrors === null) {
    failures.push({ property: "mirrors", reason: "is required (an empty list declares no mirror)" });
    return failures;
  }
  if (isUnknown(mirrors)) return failures;
  if (!Array.isArray(mirrors)) {
    failures.push({ property: "mirrors", reason: "must be a list of mirror entries" });
    return failures;
  }
  // A placeholder project lets each entry be checked alone; the project's own problems are reported once.
  const entryProject = projectKnown ? project : 1;
  const firstAt = new Map<string, number>();
  let enabled = 0;
  mirrors.forEach((entry, index) => {
    const at = `mirrors[${index}]`;
    if (isUnknown(entry)) return;
    if (!isObject(entry)) {
      failures.push({ property: at, reason: "must be an object with at least a url" });
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!(ENTRY_FIELDS as readonly string[]).includes(key)) {
        const why = key === "project" ? "the set's project applies to every entry" : key === "adopt" ? "a set always takes over a mirror GitLab already holds for a declared URL" : "it is not an entry setting";
        failures.push({ property: `${at}.${key}`, reason: `is not allowed: ${why}` });
      }
    }
    const known = Object.fromEntries(ENTRY_FIELDS.map((name) => [name, entry[name]]));
    for (const failure of checkInputs({ ...known, project: entryProject })) {
      if (failure.property === "project") continue;
      failures.push({ property: `${at}.${failure.property}`, reason: failure.reason });
    }
    const url = entry.url;
    if (typeof url === "string" && parseMirrorUrl(url).ok) {
      const key = entryKey(url);
      const first = firstAt.get(key);
      if (first === undefined) firstAt.set(key, index);
      else {
        failures.push({
          property: `${at}.url`,
          reason: `has the same target as mirrors[${first}].url (credentials aside); GitLab holds one mirror per URL in a project`,
        });
      }
    }
    const on = entry.enabled;
    if (on === true || on === undefined || on === null) enabled += 1;
  });
  if (enabled > MAX_ENABLED_MIRRORS) {
    failures.push({ property: "mirrors", reason: `has ${enabled} enabled mirrors; GitLab allows at most ${MAX_ENABLED_MIRRORS} per project` });
  }
  return failures;
}

/**
 * The engine prints a failing property's value beside the reason and looks it up as a top-level key: an
 * entry's failure is reported with its path in the reason, so nothing of a secret URL is printed.
 */
export function hideEntryProperties(failures: readonly CheckFailure[]): CheckFailure[] {
  return failures.map((failure) =>
    failure.property === "project" || failure.property === "exclusive" ? failure : { property: "", reason: `${failure.property} ${failure.reason}` },
  );
}

/** One entry with its defaults, from a known, valid entry. */
export function entryWithDefaults(entry: Props): MirrorEntry {
  const { project: _p, adopt: _a, ...rest } = withDefaults({ ...entry, project: 1 });
  return rest;
}

/** The typed inputs of a checked, fully known set. */
export function decodeProjectMirrorsInputs(raw: Props): ProjectMirrorsInputs {
  const project = withDefaults({ project: raw.project, url: "" }).project;
  const mirrors = Array.isArray(raw.mirrors) ? raw.mirrors.map((entry) => entryWithDefaults(entry as Props)) : [];
  return { project, mirrors, exclusive: raw.exclusive === true };
}

/**
 * The inputs as the engine records them, the same shape whether a program gave them or a read found them:
 * each entry as RemoteMirror records its inputs (GitLab's defaults written out, the provider's own
 * settings only where they differ from their defaults), `exclusive` only when set. Unknown values are kept.
 */
export function projectMirrorsInputsToRecord(raw: Props): Props {
  const result: Props = {};
  if (raw.project !== undefined) result.project = isUnknown(raw.project) ? raw.project : withDefaults({ project: raw.project, url: "" }).project;
  if (isUnknown(raw.mirrors) || !Array.isArray(raw.mirrors)) result.mirrors = raw.mirrors;
  else result.mirrors = raw.mirrors.map((entry) => (isObject(entry) ? recordedEntry(entry) : entry));
  if (raw.exclusive === true || isUnknown(raw.exclusive)) result.exclusive = raw.exclusive;
  return result;
}

function recordedEntry(entry: Props): Props {
  const { project: _p, adopt: _a, ...rest } = inputsToRecord({ ...entry, project: 1 });
  return rest;
}

