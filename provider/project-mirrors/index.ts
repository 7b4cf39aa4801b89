/** ProjectMirrors: a project's push mirrors as one resource. Typed inputs and state; no engine marker. */
export {
  decodeProjectMirrorsInputs,
  ENTRY_FIELDS,
  entryKey,
  EXCLUSIVE_DESCRIPTION,
  hideEntryProperties,
  MAX_ENABLED_MIRRORS,
  checkProjectMirrorsInputs,
  projectMirrorsInputsToRecord,
} from "./inputs";
export type { EntryField, MirrorEntry, ProjectMirrorsInputs } from "./inputs";
export { diffProjectMirrors } from "./diff";
export type { DiffKind, ProjectMirrorsDiff, PropertyChange } from "./diff";
export { decodeState } from "./state";
export type { EntryState, PendingWork, ProjectMirrorsState, UnmanagedMirror } from "./state";
export { createProjectMirrors, deleteProjectMirrors, readProjectMirrors, updateProjectMirrors } from "./lifecycle";
export type { ReadOutcome, Recorded } from "./lifecycle";
