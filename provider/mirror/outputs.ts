import type { RemoteMirror } from "../gitlab";
import type { MirrorOutputOnly } from "./fields";
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

export function parseResourceId(id: string): { projectId: number; mirrorId: number } | null {
  const match = /^([1-9][0-9]*):([1-9][0-9]*)$/.exec(id);
  return match ? { projectId: Number(match[1]), mirrorId: Number(match[2]) } : null;
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
