import type { RemoteMirror } from "../gitlab";
import { fingerprintOfEntry, sameFingerprints } from "./host-keys";
import { AUTH_METHODS, AuthMethod, REPORTED_INPUT_FIELDS, ReportedInputField } from "./fields";
import type { NormalisedInputs } from "./inputs";

/**
 * The one rule from GitLab's mirror fields to our inputs: per input the table marks `reported`, how its
 * value is read from a mirror GitLab reports (the client has already renamed `only_protected_branches` to
 * `onlyProtectedBranches`, and so on). `undefined` means GitLab reported nothing the input can hold.
 * Everything that takes a mirror's settings from GitLab goes through `reportedByGitLab`: a refresh's
 * inputs (inputsFromGitLab), discovery (getRemoteMirrors) and a set's recorded entries. A field marked
 * `reported` in the table without a line here does not compile.
 */
const FROM_GITLAB = {
  enabled: (mirror: RemoteMirror) => mirror.enabled,
  // An auth method this provider does not know (a newer GitLab's) is not one the input can hold.
  authMethod: (mirror: RemoteMirror) =>
    (AUTH_METHODS as readonly string[]).includes(mirror.authMethod) ? (mirror.authMethod as AuthMethod) : undefined,
  onlyProtectedBranches: (mirror: RemoteMirror) => mirror.onlyProtectedBranches,
  // Never set is null in GitLab and behaves like false.
  keepDivergentRefs: (mirror: RemoteMirror) => mirror.keepDivergentRefs ?? false,
  // GitLab CE neither accepts nor returns the regex (undefined); an empty one is none.
  mirrorBranchRegex: (mirror: RemoteMirror) => (mirror.mirrorBranchRegex === undefined ? undefined : mirror.mirrorBranchRegex || null),
} satisfies { [K in ReportedInputField]: (mirror: RemoteMirror) => NormalisedInputs[K] | undefined };

/** What GitLab reports of a mirror's inputs, in our names; `undefined` where it reports nothing usable. */
export type GitLabReport = { [K in ReportedInputField]: ReturnType<(typeof FROM_GITLAB)[K]> };

export function reportedByGitLab(mirror: RemoteMirror): GitLabReport {
  const report: Partial<Record<ReportedInputField, unknown>> = {};
  for (const field of REPORTED_INPUT_FIELDS as readonly ReportedInputField[]) report[field] = FROM_GITLAB[field](mirror);
  return report as GitLabReport;
}

/** The fields GitLab reported, as the state and discovery record them: a null or undefined one left out. */
export type ReportedSettings = {
  [K in ReportedInputField as null extends GitLabReport[K] ? never : undefined extends GitLabReport[K] ? never : K]: GitLabReport[K];
} & {
  [K in ReportedInputField as null extends GitLabReport[K] ? K : undefined extends GitLabReport[K] ? K : never]?: Exclude<GitLabReport[K], null | undefined>;
};

export function reportedSettings(mirror: RemoteMirror): ReportedSettings {
  const settings: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(reportedByGitLab(mirror))) if (value !== null && value !== undefined) settings[field] = value;
  return settings as ReportedSettings;
}

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
  const observed: NormalisedInputs = { ...base, hostKeys: keysMatch ? base.hostKeys : remoteFingerprints };
  const fields = observed as Record<ReportedInputField, unknown>;
  for (const [field, value] of Object.entries(reportedByGitLab(mirror)) as [ReportedInputField, unknown][]) {
    if (value !== undefined) fields[field] = value;
  }
  return observed;
}
