import { fieldMeta, INPUT_FIELDS, InputField } from "./fields";
import { fingerprintOfEntry, sameFingerprints } from "./host-keys";
import { normaliseField } from "./inputs";
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
 * Pure, local diff of the stored state (`oldState`: outputs, which carry every normalised input plus
 * `projectId`) against new inputs. `oldInputs`, where the engine provides them, are what the inputs
 * are compared with (they hold the URL as the program last gave it, also after an import). Both sides
 * are normalised before comparing; the change kind of each field comes from the field table.
 */
export function diffMirror(oldState: object, newInputs: object, oldInputs?: object): MirrorDiff {
  const olds = { ...(oldState as Record<string, unknown>), ...((oldInputs ?? {}) as Record<string, unknown>) };
  const news = newInputs as Record<string, unknown>;
  const replaces: InputField[] = [];
  const updates: InputField[] = [];
  for (const field of INPUT_FIELDS) {
    const before = normaliseField(field, olds[field], olds);
    const after = normaliseField(field, news[field], news);
    if (sameValue(field, before, after, olds)) continue;
    (fieldMeta(field).change === "replace" ? replaces : updates).push(field);
  }
  const deleteBeforeReplace =
    replaces.length > 0 && !differsForSure("project", olds, news) && !differsForSure("url", olds, news);
  return { changes: replaces.length + updates.length > 0, replaces, updates, deleteBeforeReplace };
}

function sameValue(field: InputField, before: unknown, after: unknown, olds: Record<string, unknown>): boolean {
  if (isUnknown(after) || isUnknown(before)) return false;
  switch (field) {
    case "project":
      return sameProject(before, after, olds.projectId);
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
function differsForSure(field: "project" | "url", olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const before = normaliseField(field, olds[field], olds);
  const after = normaliseField(field, news[field], news);
  if (isUnknown(before) || isUnknown(after)) return false;
  if (field === "project") {
    // Only two numeric ids tell for sure: a path may name the same project (an id written as its path,
    // or a project renamed), and then a create-first replacement would duplicate the mirror's URL.
    const oldId = typeof olds.projectId === "number" ? olds.projectId : before;
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
