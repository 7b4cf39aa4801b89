/** The RemoteMirror model: inputs, normalisation, diff and lifecycle. Engine-independent. */
export { UNKNOWN, isUnknown } from "./unknown";
export {
  AUTH_METHODS,
  INPUT_DEFAULTS,
  INPUT_FIELDS,
  MAX_HOST_KEYS,
  MAX_SYNC_TIMEOUT_SECONDS,
  checkMirrorInputs,
  inputFailures,
  normaliseInputs,
} from "./inputs";
export type { AuthMethod, CheckFailure, ConnectionCandidate, InputField, MirrorInputs, NormalisedInputs } from "./inputs";
export { FIELD_CHANGE, diffMirror } from "./diff";
export type { MirrorDiff } from "./diff";
export type { MirrorOutputs } from "./outputs";
export { parseResourceId, resourceId } from "./outputs";
export { DEFAULT_POLL_INTERVAL_MS, ProjectIdCache } from "./context";
export type { MirrorContext, MirrorLogger } from "./context";
export { createMirror, deleteMirror, readMirror, updateMirror } from "./lifecycle";
export type { CreateResult, ReadResult } from "./lifecycle";
export { partialStateOf } from "./partial-state";
export type { PartialState } from "./partial-state";
