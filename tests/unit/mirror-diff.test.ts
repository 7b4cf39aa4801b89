import { diffMirror } from "../support/mirror-core";
import { fieldMeta, INPUT_FIELDS, InputField } from "../../provider/mirror/fields";
import { withDefaults } from "../../provider/mirror/inputs";
import { UNKNOWN } from "../../provider/mirror/unknown";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const ED25519_FP = "SHA256:+DiY3wvvV6TuJJhbpZisF/zLDA0zPMSvHdkr4UvCOqU"; // ssh-keygen -lf -E sha256
const OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKRhl1E5q1Yq9H4iyGf7PpV0Jl3N0Q4d6v9c2xkW1aQB";

const INPUTS = { project: "demo/app", url: "https://bot:pass-1@git.example.com/backup/app.git" };

/** Stored outputs as create writes them: every normalised input plus the computed fields. */
function state(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...withDefaults({ ...INPUTS, ...extra }),
    projectId: 1,
    mirrorId: 7,
    maskedUrl: "https://*****:*****@git.example.com/backup/app.git",
    updateStatus: "none",
    hostKeyFingerprints: [],
    __provider: "exports.handler = ...",
  };
}

/** A valid value different from INPUTS (after defaults) for every field. */
const CHANGED: Record<InputField, unknown> = {
  project: "demo/other",
  url: "https://bot:pass-1@git.example.com/backup/other.git",
  enabled: false,
  authMethod: "ssh_public_key",
  onlyProtectedBranches: true,
  keepDivergentRefs: false,
  mirrorBranchRegex: "^release/",
  hostKeys: [ED25519],
  syncOnApply: true,
  waitForSync: true,
  syncTimeoutSeconds: 60,
  syncTrigger: "again",
  adopt: true,
};

const NONE = { changes: false, replaces: [], updates: [], deleteBeforeReplace: false };

describe("diffMirror", () => {
  it.each(INPUT_FIELDS.map((field) => [field, fieldMeta(field).change]))("a change of %s is a %s, as the field table says", (field, kind) => {
    const old = state({ onlyProtectedBranches: false });
    const diff = diffMirror(old, { ...INPUTS, onlyProtectedBranches: field === "onlyProtectedBranches" ? true : false, [field]: CHANGED[field] });
    expect(diff.changes).toBe(true);
    expect(kind === "replace" ? diff.replaces : diff.updates).toEqual([field]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["minimal inputs", {}, {}],
    ["defaults spelled out", {}, { enabled: true, authMethod: "password", onlyProtectedBranches: true, keepDivergentRefs: true, syncTimeoutSeconds: 300, adopt: false, hostKeys: [] }],
    ["numeric project equal to the resolved id", {}, { project: 1 }],
    ["numeric project string equal to the resolved id", {}, { project: "1" }],
    ["path differing only in case", {}, { project: "Demo/App" }],
    ["host differing only in case", {}, { url: "https://bot:pass-1@GIT.example.com/backup/app.git" }],
    ["empty regex vs none", {}, { mirrorBranchRegex: "" }],
    ["host keys reordered, reformatted", { hostKeys: [ED25519, OTHER_KEY] }, { hostKeys: [`git.example.com ${OTHER_KEY} comment`, ` ${ED25519}`] }],
    ["host keys vs matching fingerprints stored by read", { hostKeys: [ED25519_FP] }, { hostKeys: [ED25519] }],
  ])("no change: %s", (_title, old, news) => {
    expect(diffMirror(state(old), { ...INPUTS, ...news })).toEqual(NONE);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ["enabled", {}, { enabled: false }, ["enabled"]],
    ["authMethod", { url: "ssh://git@git.example.com/app.git" }, { url: "ssh://git@git.example.com/app.git", authMethod: "ssh_public_key" }, ["authMethod"]],
    ["onlyProtectedBranches", {}, { onlyProtectedBranches: false }, ["onlyProtectedBranches"]],
    ["keepDivergentRefs", {}, { keepDivergentRefs: false }, ["keepDivergentRefs"]],
    // Protected-only defaults to true unless a regex is set, so the two move together.
    ["mirrorBranchRegex set", {}, { mirrorBranchRegex: "^main$" }, ["onlyProtectedBranches", "mirrorBranchRegex"]],
    ["mirrorBranchRegex set, protected-only already off", { onlyProtectedBranches: false }, { mirrorBranchRegex: "^main$" }, ["mirrorBranchRegex"]],
    ["mirrorBranchRegex removed", { mirrorBranchRegex: "^main$" }, {}, ["onlyProtectedBranches", "mirrorBranchRegex"]],
    ["hostKeys added", {}, { hostKeys: [ED25519] }, ["hostKeys"]],
    ["hostKeys changed", { hostKeys: [ED25519] }, { hostKeys: [OTHER_KEY] }, ["hostKeys"]],
    ["hostKeys drifted (read stored GitLab's fingerprints)", { hostKeys: [] }, { hostKeys: [ED25519] }, ["hostKeys"]],
    ["syncOnApply", {}, { syncOnApply: true }, ["syncOnApply"]],
    ["waitForSync", {}, { waitForSync: true }, ["waitForSync"]],
    ["syncTimeoutSeconds", {}, { syncTimeoutSeconds: 60 }, ["syncTimeoutSeconds"]],
    ["syncTrigger", { syncTrigger: "1" }, { syncTrigger: "2" }, ["syncTrigger"]],
    ["adopt", {}, { adopt: true }, ["adopt"]],
    ["unknown enabled", {}, { enabled: UNKNOWN }, ["enabled"]],
    ["unknown host key entry", { hostKeys: [ED25519] }, { hostKeys: [UNKNOWN] }, ["hostKeys"]],
  ])("update in place: %s", (_title, old, news, updates) => {
    expect(diffMirror(state(old), { ...INPUTS, ...news })).toEqual({ changes: true, replaces: [], updates, deleteBeforeReplace: false });
  });

  it.each<[string, Record<string, unknown>, string[], boolean]>([
    ["password rotated (same target: delete first)", { url: "https://bot:pass-2@git.example.com/backup/app.git" }, ["url"], true],
    ["username changed", { url: "https://bot2:pass-1@git.example.com/backup/app.git" }, ["url"], true],
    ["credentials removed", { url: "https://git.example.com/backup/app.git" }, ["url"], true],
    ["path changed (new target: create first)", { url: "https://bot:pass-1@git.example.com/backup/other.git" }, ["url"], false],
    ["host changed", { url: "https://bot:pass-1@git2.example.com/backup/app.git" }, ["url"], false],
    ["port changed", { url: "https://bot:pass-1@git.example.com:8443/backup/app.git" }, ["url"], false],
    ["scheme changed", { url: "http://bot:pass-1@git.example.com/backup/app.git" }, ["url"], false],
    ["unknown url", { url: UNKNOWN }, ["url"], true],
    ["project path changed (maybe a rename of the same project)", { project: "demo/other" }, ["project"], true],
    ["numeric project differs from the resolved id", { project: 2 }, ["project"], false],
    ["unknown project", { project: UNKNOWN }, ["project"], true],
    ["project and url changed", { project: 2, url: "https://bot:pass-2@git.example.com/backup/app.git" }, ["project", "url"], false],
  ])("replace: %s", (_title, news, replaces, deleteBeforeReplace) => {
    expect(diffMirror(state(), { ...INPUTS, ...news })).toEqual({ changes: true, replaces, updates: [], deleteBeforeReplace });
  });

  // Regression (issue 10, item 15): GitLab stores a password as written, so "S3cr%40t" and "S3cr@t" are two
  // passwords; the diff took them for one, and fixing a wrongly encoded password showed no changes.
  it.each([
    ["S3cr%40t", "S3cr@t"],
    ["S3cr@t", "S3cr%40t"],
    ["p%2Fq", "p%2fq"],
  ])("a password written %s then %s is a credential change (delete, then create)", (before, after) => {
    const url = (password: string) => `https://bot:${password}@git.example.com/backup/app.git`;
    expect(diffMirror(state({ url: url(before) }), { ...INPUTS, url: url(after) })).toEqual({
      changes: true,
      replaces: ["url"],
      updates: [],
      deleteBeforeReplace: true,
    });
  });

  // Regression (review): id -> path of the same project created the new mirror before deleting the old.
  it("a path replacing a plain numeric id replaces, deleting first (it may be the same project)", () => {
    expect(diffMirror(state({ project: 1 }), { ...INPUTS, project: "demo/app" })).toMatchObject({
      replaces: ["project"],
      deleteBeforeReplace: true,
    });
  });

  it("reports replaces and updates together", () => {
    expect(diffMirror(state(), { ...INPUTS, url: "https://bot:pass-2@git.example.com/backup/app.git", enabled: false })).toEqual({
      changes: true,
      replaces: ["url"],
      updates: ["enabled"],
      deleteBeforeReplace: true,
    });
  });

  it.each([
    [{}],
    [{ project: 5, enabled: false, hostKeys: [ED25519], mirrorBranchRegex: "x", syncTrigger: "t" }],
    [{ url: "ssh://git@h.example/app.git", authMethod: "ssh_public_key", waitForSync: true }],
  ])("diff(x, x) has no changes (%#)", (extra) => {
    const inputs = { ...INPUTS, ...extra };
    const outputs = { ...withDefaults(inputs), projectId: typeof inputs.project === "number" ? inputs.project : 1 };
    expect(diffMirror(outputs, inputs)).toEqual(NONE);
    expect(diffMirror(inputs, inputs)).toEqual(NONE);
  });
});

describe("diffMirror after an import", () => {
  // GitLab never returns a mirror's credentials: an imported mirror is recorded with the masked URL.
  const imported = () => state({ url: "https://*****:*****@git.example.com/backup/app.git" });

  it("a declared URL whose credential-free part matches is no change", () => {
    expect(diffMirror(imported(), INPUTS)).toEqual(NONE);
  });

  it("a declared URL with another target replaces", () => {
    expect(diffMirror(imported(), { ...INPUTS, url: "https://bot:pass-1@git.example.com/backup/other.git" })).toMatchObject({
      replaces: ["url"],
      deleteBeforeReplace: false,
    });
  });

  it("the inputs the engine recorded after the import take over from the masked URL: a rotation replaces", () => {
    const oldInputs = { ...INPUTS };
    const rotated = { ...INPUTS, url: "https://bot:pass-2@git.example.com/backup/app.git" };
    expect(diffMirror(imported(), rotated, oldInputs)).toMatchObject({ replaces: ["url"], deleteBeforeReplace: true });
  });
});
