import { createAttributes, updateAttributes } from "../../provider/mirror/attributes";
import { InputField, normaliseInputs } from "../../provider/mirror/inputs";

const BASE = { project: 1, url: "https://bot:pw@git.example.com/app.git" };
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

describe("createAttributes (POST body)", () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["minimal: url and enabled only", {}, { url: BASE.url, enabled: true }],
    ["enabled false", { enabled: false }, { url: BASE.url, enabled: false }],
    ["auth method when set", { authMethod: "password" }, { url: BASE.url, enabled: true, authMethod: "password" }],
    ["keepDivergentRefs when set", { keepDivergentRefs: false }, { url: BASE.url, enabled: true, keepDivergentRefs: false }],
    ["onlyProtectedBranches when set", { onlyProtectedBranches: false }, { url: BASE.url, enabled: true, onlyProtectedBranches: false }],
    ["regex wins over an explicit onlyProtectedBranches false", { onlyProtectedBranches: false, mirrorBranchRegex: "^main$" }, { url: BASE.url, enabled: true, mirrorBranchRegex: "^main$" }],
    ["an empty regex is not sent", { mirrorBranchRegex: "" }, { url: BASE.url, enabled: true }],
    ["host keys when given", { hostKeys: [` ${KEY} `] }, { url: BASE.url, enabled: true, hostKeys: [KEY] }],
  ])("%s", (_title, extra, expected) => {
    const given = { ...BASE, ...extra };
    expect(createAttributes(given, normaliseInputs(given))).toEqual(expected);
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
    ["protected-only on while the regex is removed", ["onlyProtectedBranches", "mirrorBranchRegex"], { onlyProtectedBranches: true }, { onlyProtectedBranches: true }],
    ["regex removed", ["mirrorBranchRegex"], {}, { mirrorBranchRegex: null }],
    ["protected-only off", ["onlyProtectedBranches"], {}, { onlyProtectedBranches: false }],
  ])("%s", (_title, changed, extra, expected) => {
    expect(updateAttributes(changed, normaliseInputs({ ...BASE, ...extra }))).toEqual(expected);
  });
});
