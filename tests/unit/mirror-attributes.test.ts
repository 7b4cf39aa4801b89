import { createAttributes, updateAttributes } from "../../provider/mirror/attributes";
import { GITLAB_ATTRIBUTES, INPUT_FIELDS } from "../../provider/mirror/fields";
import { InputField, withDefaults } from "../../provider/mirror/inputs";
import type { RemoteMirrorCreate } from "../../provider/gitlab";
import { toMirrorRequestBody } from "../../provider/gitlab/schemas";

const BASE = { project: 1, url: "https://bot:pw@git.example.com/app.git" };
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

// Our defaults differ from GitLab's (enabled, keep divergent refs, protected branches only), so a POST
// spells every attribute out.
const DEFAULT_BODY = { url: BASE.url, enabled: true, authMethod: "password", keepDivergentRefs: true, onlyProtectedBranches: true };

describe("createAttributes (POST body)", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["minimal: the safe defaults spelled out", {}, DEFAULT_BODY],
    ["enabled false", { enabled: false }, { ...DEFAULT_BODY, enabled: false }],
    ["auth method", { authMethod: "ssh_public_key" }, { ...DEFAULT_BODY, authMethod: "ssh_public_key" }],
    ["keepDivergentRefs false", { keepDivergentRefs: false }, { ...DEFAULT_BODY, keepDivergentRefs: false }],
    ["onlyProtectedBranches false", { onlyProtectedBranches: false }, { ...DEFAULT_BODY, onlyProtectedBranches: false }],
    ["a regex instead of protected-only (GitLab refuses both keys)", { mirrorBranchRegex: "^main$" }, { url: BASE.url, enabled: true, authMethod: "password", keepDivergentRefs: true, mirrorBranchRegex: "^main$" }],
    ["regex wins over an explicit onlyProtectedBranches false", { onlyProtectedBranches: false, mirrorBranchRegex: "^main$" }, { url: BASE.url, enabled: true, authMethod: "password", keepDivergentRefs: true, mirrorBranchRegex: "^main$" }],
    ["an empty regex is not sent", { mirrorBranchRegex: "" }, DEFAULT_BODY],
    ["host keys when given", { hostKeys: [` ${KEY} `] }, { ...DEFAULT_BODY, hostKeys: [KEY] }],
  ])("%s", (_title, extra, expected) => {
    expect(createAttributes(withDefaults({ ...BASE, ...extra }))).toEqual(expected);
  });
});

describe("updateAttributes (PUT body)", () => {
  it.each<[string, InputField[], Record<string, unknown>, Record<string, unknown>]>([
    ["nothing changed", [], {}, {}],
    ["sync controls only", ["syncOnApply", "waitForSync", "syncTrigger", "adopt", "syncTimeoutSeconds"], { syncOnApply: true }, {}],
    ["enabled", ["enabled"], { enabled: false }, { enabled: false }],
    ["auth method", ["authMethod"], { authMethod: "ssh_public_key" }, { authMethod: "ssh_public_key" }],
    ["host keys cleared", ["hostKeys"], {}, { hostKeys: [] }],
    ["regex set while protected-only turns off", ["onlyProtectedBranches", "mirrorBranchRegex"], { mirrorBranchRegex: "^r/" }, { mirrorBranchRegex: "^r/" }],
    ["protected-only on while the regex is removed", ["onlyProtectedBranches", "mirrorBranchRegex"], {}, { onlyProtectedBranches: true }],
    ["regex removed", ["mirrorBranchRegex"], {}, { mirrorBranchRegex: null }],
    ["protected-only off", ["onlyProtectedBranches"], { onlyProtectedBranches: false }, { onlyProtectedBranches: false }],
    ["protected-only back to its default", ["onlyProtectedBranches"], {}, { onlyProtectedBranches: true }],
  ])("%s", (_title, changed, extra, expected) => {
    expect(updateAttributes(changed, withDefaults({ ...BASE, ...extra }))).toEqual(expected);
  });
});

describe("the GitLab payload follows the field table", () => {
  it.each(GITLAB_ATTRIBUTES.map(([name, gitlab]) => [name, gitlab]))("%s is sent as %s", (name, gitlab) => {
    const value = name === "hostKeys" ? [KEY] : "v";
    expect(toMirrorRequestBody({ [name]: value } as unknown as RemoteMirrorCreate)).toEqual({ [gitlab]: value });
  });

  it("a PUT carries exactly the changed inputs that GitLab knows, under the table's names", () => {
    const inputs = withDefaults({ ...BASE, enabled: false, keepDivergentRefs: false, syncOnApply: true });
    const body = toMirrorRequestBody(updateAttributes([...INPUT_FIELDS], inputs));
    const expected = GITLAB_ATTRIBUTES.filter(([name]) => name !== "url" && name !== "mirrorBranchRegex").map(([, gitlab]) => gitlab);
    expect(Object.keys(body).sort()).toEqual([...expected].sort());
  });
});
