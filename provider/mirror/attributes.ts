import type { RemoteMirrorCreate, RemoteMirrorUpdate } from "../gitlab";
import { GITLAB_ATTRIBUTES, InputField } from "./fields";
import type { NormalisedInputs } from "./inputs";

/**
 * The request bodies, built purely from inputs and the field table (which inputs GitLab knows). The
 * client maps each of these keys to the GitLab attribute the table names. GitLab (EE) answers 400 when a
 * request carries both `only_protected_branches` and `mirror_branch_regex`, whatever their values, so at
 * most one of them is sent: a regex turns protected-only off, and protected-only clears the regex.
 */

// Every key of the client's request is an input (a unit test checks that the client maps each one to
// the GitLab attribute the table names).
type NotAnInput = Exclude<keyof RemoteMirrorCreate, InputField>;
const requestKeysAreInputs: [NotAnInput] extends [never] ? true : NotAnInput = true;
void requestKeysAreInputs;

/** POST: every GitLab attribute with a value (our defaults differ from GitLab's), the regex rule applied. */
export function createAttributes(inputs: NormalisedInputs): RemoteMirrorCreate {
  const attrs = pick(GITLAB_ATTRIBUTES.map(([name]) => name), inputs) as unknown as RemoteMirrorCreate;
  if (inputs.hostKeys.length === 0) delete attrs.hostKeys;
  if (inputs.mirrorBranchRegex !== null) delete attrs.onlyProtectedBranches;
  else delete attrs.mirrorBranchRegex;
  return attrs;
}

/**
 * The inputs GitLab holds that an update may change: all but the URL, whose change replaces the mirror.
 * So also the settings in which a mirror adopted with the same URL may differ from the inputs.
 */
export const UPDATABLE_GITLAB_INPUTS: readonly InputField[] = Object.freeze(
  GITLAB_ATTRIBUTES.map(([name]) => name).filter((name) => name !== "url"),
);

/** PUT: only the GitLab attributes among the changed fields. Empty when nothing GitLab knows changed. */
export function updateAttributes(changed: readonly InputField[], inputs: NormalisedInputs): RemoteMirrorUpdate {
  const gitlabChanged = UPDATABLE_GITLAB_INPUTS.filter((name) => changed.includes(name));
  const attrs = pick(gitlabChanged, inputs) as RemoteMirrorUpdate;
  if ("mirrorBranchRegex" in attrs && "onlyProtectedBranches" in attrs) {
    if (inputs.mirrorBranchRegex !== null) delete attrs.onlyProtectedBranches;
    else delete attrs.mirrorBranchRegex;
  }
  return attrs;
}

function pick(names: readonly InputField[], inputs: NormalisedInputs): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of names) result[name] = inputs[name];
  return result;
}
