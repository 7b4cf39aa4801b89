import type { RemoteMirror } from "../../provider/gitlab";
import { InputField, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";
import { withDefaults } from "../../provider/mirror/inputs";
import { inputsFromGitLab } from "../../provider/mirror/observed";

/**
 * A field added to the table as `reported` must be taken from GitLab by inputsFromGitLab (the one place in
 * the core that names GitLab's attributes by hand): refresh then shows its drift. This test fails until
 * the new field is added there and given a GitLab-side value below.
 */
const STORED = withDefaults({ project: 1, url: "https://bot:pw@example.com/group/app.git", mirrorBranchRegex: "^main$", enabled: true, keepDivergentRefs: true });

/** Per reported input: what GitLab reports in its place, and what the observed input must then be. */
const GITLAB_SAYS: Partial<Record<InputField, { mirror: Partial<RemoteMirror>; observed: unknown }>> = {
  enabled: { mirror: { enabled: false }, observed: false },
  authMethod: { mirror: { authMethod: "ssh_public_key" }, observed: "ssh_public_key" },
  onlyProtectedBranches: { mirror: { onlyProtectedBranches: true }, observed: true },
  keepDivergentRefs: { mirror: { keepDivergentRefs: false }, observed: false },
  mirrorBranchRegex: { mirror: { mirrorBranchRegex: "^release/" }, observed: "^release/" },
};

const AS_STORED: RemoteMirror = {
  id: 7,
  enabled: STORED.enabled,
  url: "https://*****:*****@example.com/group/app.git",
  updateStatus: "finished",
  lastUpdateAt: null,
  lastUpdateStartedAt: null,
  lastSuccessfulUpdateAt: null,
  lastError: null,
  onlyProtectedBranches: STORED.onlyProtectedBranches,
  keepDivergentRefs: STORED.keepDivergentRefs,
  authMethod: STORED.authMethod,
  hostKeys: [],
  mirrorBranchRegex: STORED.mirrorBranchRegex,
};

describe("inputsFromGitLab and the field table", () => {
  it("a mirror as stored is observed as stored", () => {
    expect(inputsFromGitLab(STORED, AS_STORED)).toEqual(STORED);
  });

  it.each(REPORTED_INPUT_FIELDS.map((field) => [field]))("%s, reported by GitLab, is taken from GitLab", (field) => {
    const says = GITLAB_SAYS[field];
    if (says === undefined) throw new Error(`${field} is reported by GitLab (fields.ts): take it from GitLab in inputsFromGitLab and add it to GITLAB_SAYS`);
    expect(says.observed).not.toEqual(STORED[field]);
    const observed = inputsFromGitLab(STORED, { ...AS_STORED, ...says.mirror });
    expect(observed[field]).toEqual(says.observed);
    // Nothing else moves.
    expect({ ...observed, [field]: STORED[field] }).toEqual(STORED);
  });
});
