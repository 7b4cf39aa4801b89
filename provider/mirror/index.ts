/**
 * The RemoteMirror model: the field table, the typed inputs (NormalisedInputs) and state (MirrorOutputs,
 * RecordedMirror), the diff and the lifecycle. The lifecycle takes and returns those types only, and a
 * step that fails after GitLab changed throws StepFailedAfterChangeError. The adapters (provider/dynamic,
 * provider/plugin) turn the engine's plain values into those types and back with the decoders and
 * encoders here: decodeMirrorInputs, decodeMirrorState, inputsToRecord (the inputs as the engine records
 * them), compactOutputs / expandOutputs. A value not known yet during a preview is the core's own
 * UNKNOWN, which each adapter puts in place of the engine's marker before Check and Diff.
 */
export { UNKNOWN, isUnknown } from "./unknown";
export type { Unknown } from "./unknown";
export {
  AUTH_METHODS,
  GITLAB_ATTRIBUTES,
  INPUT_FIELDS,
  MAX_HOST_KEYS,
  MAX_SYNC_TIMEOUT_SECONDS,
  OUTPUT_ONLY_FIELDS,
  REPORTED_INPUT_FIELDS,
  SECRET_PROPERTIES,
  fieldMeta,
  mirrorOutputOnlySchema,
  outputMeta,
  mirrorInputsSchema,
} from "./fields";
export type { AuthMethod, FieldMeta, GitLabAttribute, InputField, MirrorInputs, MirrorOutputOnly, OutputMeta, OutputOnlyField } from "./fields";
export {
  inputsToRecord,
  decodeMirrorInputs,
  decodePlannedInputs,
  decodeRecordedInputs,
  hideSecretProperties,
  checkInputs,
  withDefaults,
} from "./inputs";
export type { CheckFailure, GivenInputs, NormalisedInputs, PlannedInputs, RecordedInputs } from "./inputs";
export { diffMirror } from "./diff";
export type { MirrorDiff } from "./diff";
export type { MirrorOutputs } from "./outputs";
export { compactOutputs, expandOutputs, parseResourceId, resourceId } from "./outputs";
export {
  connectionFailures,
  createMirrorContext,
  DEFAULT_POLL_INTERVAL_MS,
  debugLogFromEnv,
  pollIntervalFromEnv,
  ProjectIdCache,
  withEnvironmentFallback,
} from "./context";
export type { MirrorContext, MirrorContextOptions, MirrorLogger } from "./context";
export { createMirror, deleteMirror, readMirror, updateMirror } from "./lifecycle";
export type { CreateResult, ReadResult } from "./lifecycle";
export { decodeMirrorState } from "./state";
export type { RecordedMirror } from "./state";
export { listMirrors, mirrorInfoSchema } from "./discover";
export type { MirrorInfo } from "./discover";
export { MirrorListCache } from "./mirror-lists";
