import type { RemoteMirror } from "../gitlab";
import { INPUT_FIELDS, InputField, MirrorOutputOnly, REPORTED_INPUT_FIELDS } from "./fields";
import type { NormalisedInputs } from "./inputs";

/**
 * What the resource stores: every (normalised) input plus what GitLab reports (the field table's
 * outputs; `publicKey` only for ssh:// URLs with authMethod ssh_public_key, GitLab answers 404 otherwise).
 */
export type MirrorOutputs = NormalisedInputs &
  MirrorOutputOnly & {
  /**
   * Set in the state recorded when a requested sync did not complete (the engine keeps a partially
   * failed resource and calls update with unchanged inputs next time): that update syncs again.
   */
  syncPending?: true;
};

/** `<projectId>:<mirrorId>`, the form users know from Terraform's import. */
export function resourceId(projectId: number, mirrorId: number): string {
  return `${projectId}:${mirrorId}`;
}

/**
 * The two ids of `<projectId>:<mirrorId>`, or null when `id` has another form or an id above 2^53 - 1
 * (a JavaScript number would round it to a neighbouring id, and every call would go to another mirror).
 */
export function parseResourceId(id: string): { projectId: number; mirrorId: number } | null {
  const match = /^([1-9][0-9]{0,15}):([1-9][0-9]{0,15})$/.exec(id);
  if (match === null) return null;
  const projectId = Number(match[1]);
  const mirrorId = Number(match[2]);
  return Number.isSafeInteger(projectId) && Number.isSafeInteger(mirrorId) ? { projectId, mirrorId } : null;
}

export function buildOutputs(
  inputs: NormalisedInputs,
  projectId: number,
  mirror: RemoteMirror,
  publicKey: string | undefined,
  scrub: (text: string) => string,
): MirrorOutputs {
  const outputs: MirrorOutputs = {
    ...inputs,
    mirrorId: mirror.id,
    projectId,
    maskedUrl: mirror.url === null ? null : scrub(mirror.url),
    updateStatus: mirror.updateStatus,
    lastError: mirror.lastError === null ? null : scrub(mirror.lastError),
    lastUpdateAt: mirror.lastUpdateAt,
    lastUpdateStartedAt: mirror.lastUpdateStartedAt,
    lastSuccessfulUpdateAt: mirror.lastSuccessfulUpdateAt,
    hostKeyFingerprints: mirror.hostKeys.map((k) => k.fingerprintSha256),
  };
  if (publicKey !== undefined) outputs.publicKey = publicKey;
  return outputs;
}

/** Inputs a compact state leaves to the resource's recorded inputs: GitLab does not report them as they are. */
const UNREPORTED_INPUT_FIELDS: readonly InputField[] = INPUT_FIELDS.filter((name) => !REPORTED_INPUT_FIELDS.includes(name));

/**
 * The outputs as a host that records the resource's inputs beside them stores them: what GitLab reports
 * of the mirror, without the copies of inputs it does not report (`url`, `project`, `hostKeys` and the
 * settings that steer this provider). The engine rewrites every resource's state at each checkpoint, so
 * those copies cost a fleet's every step; `expandOutputs` puts them back from the recorded inputs.
 */
export function compactOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
  const compact = { ...outputs };
  for (const name of UNREPORTED_INPUT_FIELDS) delete compact[name];
  return compact;
}

/**
 * The outputs the lifecycle works on, from stored outputs and the inputs recorded with them. The recorded
 * inputs give the unreported fields, also over a state written before outputs were compact.
 */
export function expandOutputs(stored: Record<string, unknown>, recordedInputs: Record<string, unknown>): Record<string, unknown> {
  const expanded = { ...stored };
  for (const name of UNREPORTED_INPUT_FIELDS) {
    if (recordedInputs[name] !== undefined) expanded[name] = recordedInputs[name];
  }
  return expanded;
}
