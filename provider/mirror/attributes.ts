import type { RemoteMirrorCreate, RemoteMirrorUpdate } from "../gitlab";
import type { InputField, NormalisedInputs } from "./inputs";

/**
 * The request bodies, built purely from inputs. GitLab (EE) answers 400 when a request carries both
 * `only_protected_branches` and `mirror_branch_regex`, whatever their values, so at most one is sent.
 */

/** POST: the URL, `enabled` (always, since GitLab's own default is false) and only what the user set. */
export function createAttributes(given: Record<string, unknown>, inputs: NormalisedInputs): RemoteMirrorCreate {
  const attrs: RemoteMirrorCreate = { url: inputs.url, enabled: inputs.enabled };
  if (given.authMethod !== undefined) attrs.authMethod = inputs.authMethod;
  if (given.keepDivergentRefs !== undefined) attrs.keepDivergentRefs = inputs.keepDivergentRefs;
  if (inputs.mirrorBranchRegex !== null) attrs.mirrorBranchRegex = inputs.mirrorBranchRegex;
  else if (given.onlyProtectedBranches !== undefined) attrs.onlyProtectedBranches = inputs.onlyProtectedBranches;
  if (inputs.hostKeys.length > 0) attrs.hostKeys = inputs.hostKeys;
  return attrs;
}

/** PUT: only the GitLab attributes among the changed fields. Empty when nothing GitLab knows changed. */
export function updateAttributes(changed: readonly InputField[], inputs: NormalisedInputs): RemoteMirrorUpdate {
  const attrs: RemoteMirrorUpdate = {};
  const has = (field: InputField) => changed.includes(field);
  if (has("enabled")) attrs.enabled = inputs.enabled;
  if (has("authMethod")) attrs.authMethod = inputs.authMethod;
  if (has("keepDivergentRefs")) attrs.keepDivergentRefs = inputs.keepDivergentRefs;
  if (has("hostKeys")) attrs.hostKeys = inputs.hostKeys;
  const regexChanged = has("mirrorBranchRegex");
  const protectedChanged = has("onlyProtectedBranches");
  // A regex turns protected-only off and protected-only clears the regex (GitLab EE), so one key suffices.
  if (regexChanged && (inputs.mirrorBranchRegex !== null || !protectedChanged)) {
    attrs.mirrorBranchRegex = inputs.mirrorBranchRegex;
  } else if (protectedChanged) {
    attrs.onlyProtectedBranches = inputs.onlyProtectedBranches;
  }
  return attrs;
}

/** The desired attributes an adopted mirror does not have yet (GitLab's current values known). */
export const GITLAB_FIELDS: readonly InputField[] = Object.freeze([
  "enabled",
  "authMethod",
  "onlyProtectedBranches",
  "keepDivergentRefs",
  "mirrorBranchRegex",
  "hostKeys",
]);
