import type { RemoteMirror } from "../gitlab";
import { fingerprintOfEntry, sameFingerprints } from "./host-keys";
import { AUTH_METHODS, AuthMethod } from "./fields";
import type { NormalisedInputs } from "./inputs";

/**
 * The inputs as GitLab currently has them: `base` (the stored inputs) with every attribute GitLab reports
 * replaced by GitLab's value. The URL stays as stored: GitLab only returns it masked, and comparing the
 * masked form is what gives other tools their perpetual diffs.
 *
 * Host keys: GitLab only returns fingerprints. When they match the stored keys, the keys are kept;
 * otherwise GitLab's fingerprints take their place, which differ from any configured key list, so the
 * next diff shows a change and the update sends the configured keys again.
 */
export function inputsFromGitLab(base: NormalisedInputs, mirror: RemoteMirror): NormalisedInputs {
  const remoteFingerprints = mirror.hostKeys.map((k) => k.fingerprintSha256);
  const storedFingerprints = base.hostKeys.map(fingerprintOfEntry);
  const keysMatch =
    storedFingerprints.every((fp): fp is string => fp !== null) && sameFingerprints(storedFingerprints, remoteFingerprints);
  return {
    ...base,
    enabled: mirror.enabled,
    authMethod: (AUTH_METHODS as readonly string[]).includes(mirror.authMethod) ? (mirror.authMethod as AuthMethod) : base.authMethod,
    onlyProtectedBranches: mirror.onlyProtectedBranches,
    // Never set is null in GitLab and behaves like false.
    keepDivergentRefs: mirror.keepDivergentRefs ?? false,
    // GitLab CE neither accepts nor returns the regex: keep the stored value there.
    mirrorBranchRegex: mirror.mirrorBranchRegex === undefined ? base.mirrorBranchRegex : mirror.mirrorBranchRegex || null,
    hostKeys: keysMatch ? base.hostKeys : remoteFingerprints,
  };
}
