import type { RemoteMirror } from "../../provider/gitlab";
import { InputField, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";
import { withDefaults } from "../../provider/mirror/inputs";
import { inputsFromGitLab, reportedByGitLab } from "../../provider/mirror/observed";
import { mirrorInfoOf } from "../../provider/mirror/discover";
import { entryStateOf } from "../../provider/project-mirrors/state";
import { gitlabMirror } from "../support/gitlab-mirror";

/**
 * A field added to the table as `reported` must be taken from GitLab by the one rule in observed.ts
 * (FROM_GITLAB, which does not compile without it): refresh then shows its drift. This test fails until
 * the new field is given a GitLab-side value below.
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

const AS_STORED = gitlabMirror({
  enabled: STORED.enabled,
  onlyProtectedBranches: STORED.onlyProtectedBranches,
  keepDivergentRefs: STORED.keepDivergentRefs,
  authMethod: STORED.authMethod,
  mirrorBranchRegex: STORED.mirrorBranchRegex,
});

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

/**
 * The same rule feeds discovery (getRemoteMirrors) and a set's recorded entries (ProjectMirrors): a
 * reported field that one of them misses fails here, and one missing from the rule fails in the test above.
 */
describe("one GitLab field -> input rule for every reader of GitLab's mirrors", () => {
  const scrub = (text: string) => text;

  it("reads exactly the table's reported inputs", () => {
    expect(Object.keys(reportedByGitLab(AS_STORED)).sort()).toEqual([...REPORTED_INPUT_FIELDS].sort());
  });

  it.each(REPORTED_INPUT_FIELDS.map((field) => [field]))("%s, reported by GitLab, is shown by discovery and recorded by a set", (field) => {
    const says = GITLAB_SAYS[field];
    if (says === undefined) throw new Error(`${field} is reported by GitLab (fields.ts): add it to GITLAB_SAYS`);
    const mirror = { ...AS_STORED, ...says.mirror };
    expect(mirrorInfoOf(1, mirror, scrub)[field as keyof ReturnType<typeof mirrorInfoOf>]).toEqual(says.observed);
    expect(entryStateOf(mirror, "https://example.com/group/app.git", scrub)[field as keyof ReturnType<typeof entryStateOf>]).toEqual(says.observed);
    // What GitLab reports as it was stored is shown as stored.
    expect(mirrorInfoOf(1, AS_STORED, scrub)[field as keyof ReturnType<typeof mirrorInfoOf>]).toEqual(STORED[field] ?? undefined);
  });

  it("leaves out what GitLab reports as unset, and keeps an auth method it does not know only in discovery", () => {
    const plain = { ...AS_STORED, mirrorBranchRegex: "", keepDivergentRefs: null, authMethod: "ssh_certificate" };
    expect(mirrorInfoOf(1, plain, scrub)).not.toHaveProperty("mirrorBranchRegex");
    expect(mirrorInfoOf(1, plain, scrub)).toMatchObject({ keepDivergentRefs: false, authMethod: "ssh_certificate", resourceId: "1:7" });
    expect(entryStateOf(plain, "t", scrub)).not.toHaveProperty("mirrorBranchRegex");
    expect(entryStateOf(plain, "t", scrub)).toMatchObject({ keepDivergentRefs: false, authMethod: "password" });
    expect(inputsFromGitLab(STORED, plain)).toMatchObject({ mirrorBranchRegex: null, keepDivergentRefs: false, authMethod: STORED.authMethod });
    expect(inputsFromGitLab(STORED, { ...AS_STORED, mirrorBranchRegex: undefined }).mirrorBranchRegex).toBe(STORED.mirrorBranchRegex);
  });
});
