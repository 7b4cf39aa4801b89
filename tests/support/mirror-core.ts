/**
 * The RemoteMirror core called the way its adapters call it: the engine's plain values (inputs as a
 * program writes them, a state as the engine recorded it) decoded once, then the typed operation. Tests
 * write their inputs and states as plain values; what the core does with them is what they assert.
 */
import * as core from "../../provider/mirror";
import type { CreateResult, MirrorContext, MirrorDiff, MirrorOutputs, ReadResult } from "../../provider/mirror";

type Plain = Record<string, unknown>;

export async function createMirror(inputs: Plain, ctx: MirrorContext): Promise<CreateResult> {
  return core.createMirror(ctx, core.decodeMirrorInputs(inputs));
}

export async function readMirror(id: string, recorded: Plain, ctx: MirrorContext): Promise<ReadResult> {
  return core.readMirror(ctx, id, core.decodeMirrorState(id, recorded));
}

export async function updateMirror(id: string, recorded: Plain, inputs: Plain, ctx: MirrorContext): Promise<{ state: MirrorOutputs }> {
  const decoded = core.decodeMirrorInputs(inputs);
  return core.updateMirror(ctx, id, core.decodeMirrorState(id, recorded), decoded);
}

export async function deleteMirror(id: string, recorded: Plain, ctx: MirrorContext): Promise<void> {
  return core.deleteMirror(ctx, id, core.decodeMirrorState(id, recorded));
}

/** The diff as the plugin calls it: the recorded outputs overlaid by the recorded inputs, against the planned inputs. */
export function diffMirror(recorded: object, planned: object, recordedInputs?: object): MirrorDiff {
  return core.diffMirror(core.decodeRecordedInputs({ ...recorded, ...recordedInputs }), core.decodePlannedInputs(planned as Plain));
}
