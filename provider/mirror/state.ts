import { MirrorOutputOnly, mirrorOutputOnlySchema, OUTPUT_ONLY_FIELDS } from "./fields";
import { NormalisedInputs, withDefaults } from "./inputs";
import { locate } from "./locate";

/**
 * A mirror's state as the engine recorded it, decoded: the inputs it was last made with, and what GitLab
 * last reported of it. Any output may be missing (a state written by an older release, an import, one
 * edited by hand); `syncPending` marks a sync a failed step asked for and did not complete.
 */
export type RecordedMirror = NormalisedInputs & Partial<MirrorOutputOnly> & { syncPending?: true };

/**
 * The recorded state from the engine's plain values, or undefined when nothing was recorded (an import:
 * no URL). Every output comes from the field table and is kept only when it has the table's type; ids
 * that name another mirror than `id` mean a damaged state and are refused (see locate).
 */
export function decodeMirrorState(id: string, raw: Record<string, unknown>): RecordedMirror | undefined {
  locate(id, raw);
  if (typeof raw.url !== "string") return undefined;
  const state: RecordedMirror = withDefaults(raw);
  const outputs = state as Record<string, unknown>;
  for (const field of OUTPUT_ONLY_FIELDS) {
    if (raw[field] === undefined) continue;
    const parsed = mirrorOutputOnlySchema.shape[field].safeParse(raw[field]);
    if (parsed.success) outputs[field] = parsed.data;
  }
  if (raw.syncPending === true) state.syncPending = true;
  return state;
}
