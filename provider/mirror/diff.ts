import { fieldMeta, INPUT_FIELDS, InputField } from "./fields";
import { fingerprintOfEntry, sameFingerprints } from "./host-keys";
import type { PlannedInputs, RecordedInputs } from "./inputs";
import { isUnknown } from "./unknown";
import { credentialFreeUrl, hasMaskedCredentials, sameMirrorUrl } from "./url";

export interface MirrorDiff {
  changes: boolean;
  /** Fields whose change forces a replacement. */
  replaces: InputField[];
  /** Fields that change in place. */
  updates: InputField[];
  deleteBeforeReplace: boolean;
}

/**
 * Pure, local diff of what is recorded (the inputs, normalised, and the project id they resolved to:
 * a state's outputs carry both) against the planned inputs, normalised, any of them possibly unknown
 * during a preview. The change kind of each field comes from the field table.
 */
export function diffMirror(recorded: RecordedInputs, planned: PlannedInputs): MirrorDiff {
  const replaces: InputField[] = [];
  const updates: InputField[] = [];
  for (const field of INPUT_FIELDS) {
    if (sameValue(field, recorded[field], planned[field], recorded.projectId)) continue;
    (fieldMeta(field).change === "replace" ? replaces : updates).push(field);
  }
  const deleteBeforeReplace =
    replaces.length > 0 && !differsForSure("project", recorded, planned) && !differsForSure("url", recorded, planned);
  return { changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace };
}

function sameValue(field: InputField, before: unknown, after: unknown, oldProjectId: number | undefined): boolean {
  if (isUnknown(after) || isUnknown(before)) return false;
  switch (field) {
    case "project":
      return sameProject(before, after, oldProjectId);
    case "url": {
      if (typeof before !== "string" || typeof after !== "string") return before === after;
      // An imported mirror's URL is GitLab's masked one: its credentials are unknown, not different.
      if (hasMaskedCredentials(before)) return credentialFreeUrl(before) === credentialFreeUrl(after);
      const same = sameMirrorUrl(before, after);
      return same.sameTarget && same.sameCredentials;
    }
    case "hostKeys":
      return sameHostKeys(before, after);
    default:
      return before === after;
  }
}

/**
 * Whether the credential-free identity of `project` / `url` certainly changed. Unknown values count as
 * "maybe the same", so a replacement deletes first rather than risk GitLab's duplicate-URL rejection and
 * its cap of 10 enabled mirrors per project.
 */
function differsForSure(field: "project" | "url", recorded: RecordedInputs, planned: PlannedInputs): boolean {
  const before: unknown = recorded[field];
  const after: unknown = planned[field];
  if (isUnknown(before) || isUnknown(after)) return false;
  if (field === "project") {
    // Only two numeric ids tell for sure: a path may name the same project (an id written as its path,
    // or a project renamed), and then a create-first replacement would duplicate the mirror's URL.
    const oldId = recorded.projectId ?? before;
    return typeof after === "number" && typeof oldId === "number" && after !== oldId;
  }
  if (typeof before !== "string" || typeof after !== "string") return before !== after;
  if (hasMaskedCredentials(before)) return credentialFreeUrl(before) !== credentialFreeUrl(after);
  return !sameMirrorUrl(before, after).sameTarget;
}

/**
 * A numeric id is compared with the resolved `projectId` recorded at create, so `"demo/app"` -> `1` is no
 * change when the mirror lives in project 1. Paths compare case-insensitively (GitLab's lookup does).
 * A path replacing a plain id cannot be resolved without network I/O, so it counts as a change.
 */
function sameProject(before: unknown, after: unknown, oldProjectId: unknown): boolean {
  if (typeof after === "number") {
    return typeof oldProjectId === "number" ? after === oldProjectId : after === before;
  }
  if (typeof after === "string" && typeof before === "string") return after.toLowerCase() === before.toLowerCase();
  return false;
}

function sameHostKeys(before: unknown, after: unknown): boolean {
  if (!Array.isArray(before) || !Array.isArray(after)) return false;
  if (before.some(isUnknown) || after.some(isUnknown)) return false;
  const fingerprints = (entries: unknown[]): string[] | null => {
    const result: string[] = [];
    for (const entry of entries) {
      const fp = typeof entry === "string" ? fingerprintOfEntry(entry) : null;
      if (fp === null) return null;
      result.push(fp);
    }
    return result;
  };
  const fb = fingerprints(before);
  const fa = fingerprints(after);
  if (fb === null || fa === null) return JSON.stringify(before) === JSON.stringify(after);
  return sameFingerprints(fb, fa);
}
