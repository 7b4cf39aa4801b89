import { fieldMeta, INPUT_FIELDS } from "../../provider/mirror/fields";
import { inputsToRecord, hideSecretProperties, checkInputs, fieldWithDefault, withDefaults } from "../../provider/mirror/inputs";
import { UNKNOWN } from "../../provider/mirror/unknown";
import { ENGINE_UNKNOWN } from "../../provider/engine-unknowns";
import { diffMirror } from "../support/mirror-core";
import { updateAttributes } from "../../provider/mirror/attributes";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
const BEYOND_EXACT =
  "is an id above 9007199254740991, which cannot be kept exact; GitLab's project ids are far smaller, so check it (or use the project's full path)";
const GOOD = { project: "demo/app", url: "https://mirror-bot:s3cret-pass@git.example.com/backup/app.git" };

function check(extra: Record<string, unknown>) {
  return checkInputs({ ...GOOD, ...extra });
}

describe("checkInputs", () => {
  it("accepts minimal and complete valid inputs", () => {
    expect(check({})).toEqual([]);
    expect(
      check({
        project: 42,
        url: "ssh://git@git.example.com:2222/backup/app.git",
        enabled: false,
        authMethod: "ssh_public_key",
        onlyProtectedBranches: false,
        keepDivergentRefs: true,
        mirrorBranchRegex: "^(main|release/.*)$",
        hostKeys: [ED25519, `[git.example.com]:2222 ${ED25519}`],
        syncOnApply: true,
        waitForSync: true,
        syncTimeoutSeconds: 3600,
        syncTrigger: "v1",
        adopt: true,
      }),
    ).toEqual([]);
  });

  // Regression (issue 21, item 13): these passed Check, though GitLab has no such project.
  it.each([
    ["../../x", /segment 1 is no name/],
    ["a/../../b", /segment 2 is no name/],
    ["./.", /segment 1 is no name/],
    ["group/..", /segment 2 is no name/],
    ["group/-app", /starts with "-"/],
    ["group/app.git", /ends in ".git" or ".atom"/],
    ["group/app.atom", /ends in ".git" or ".atom"/],
    ["group./app", /ends in "\.", which GitLab does not allow in a group's path/],
    ["gröup/app", /holds a character GitLab does not allow in a group's path/],
    ["group/a+b", /holds a character GitLab does not allow in the project's path/],
  ])("refuses the project path %s with GitLab's rules", (project, reason) => {
    const failures = check({ project });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe("project");
    expect(failures[0].reason).toMatch(/^is not a GitLab project path: /);
    expect(failures[0].reason).toMatch(reason);
  });

  it.each(["group/app", "Group_1/sub-group/my.app", "g/_app", "g/.hidden", "g/app.", "a/b/c/d/e"])("accepts the project path %s", (project) => {
    expect(check({ project })).toEqual([]);
  });

  // Regression (issue 21, item 20): YAML reads 20261207 as a number even with `type: string` declared.
  it("takes a number given as syncTrigger as its text", () => {
    expect(check({ syncTrigger: 20261207 })).toEqual([]);
    expect(inputsToRecord({ ...GOOD, syncTrigger: 20261207 }).syncTrigger).toBe("20261207");
    expect(diffMirror({ ...inputsToRecord({ ...GOOD, syncTrigger: "20261207" }), projectId: 1 }, inputsToRecord({ ...GOOD, syncTrigger: 20261207 })).changes).toBe(false);
    expect(diffMirror({ ...inputsToRecord({ ...GOOD, syncTrigger: "20261207" }), projectId: 1 }, inputsToRecord({ ...GOOD, syncTrigger: 20261208 })).updates).toEqual(["syncTrigger"]);
  });

  it("ignores keys it does not know, such as the dynamic provider's __provider", () => {
    expect(check({ __provider: "exports.handler = ..." })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["missing project", { project: undefined }, "project", "is required"],
    ["project zero", { project: 0 }, "project", "must be a positive whole number when given as an id"],
    ["project fraction", { project: 1.5 }, "project", "must be a positive whole number when given as an id"],
    // Regression (issue 10, item 16): "99999999999999999999" was accepted and became 1e20.
    ["project id beyond 2^53 as a string", { project: "99999999999999999999" }, "project", BEYOND_EXACT],
    ["project id beyond 2^53 as a number", { project: 2 ** 53 }, "project", BEYOND_EXACT],
    ["bare project name", { project: "app" }, "project", 'must be a numeric id or the project\'s full path such as "group/app" (no leading, trailing or double slashes, no spaces)'],
    ["project with trailing slash", { project: "demo/app/" }, "project", 'must be a numeric id or the project\'s full path such as "group/app" (no leading, trailing or double slashes, no spaces)'],
    ["project of wrong type", { project: true }, "project", 'must be a numeric project id or a full path such as "group/app"'],
    ["missing url", { url: undefined }, "url", "is required"],
    ["url of wrong type", { url: 7 }, "url", "must be a string"],
    ["scp-style url", { url: "git@git.example.com:backup/app.git" }, "url", "scp-style addresses (user@host:path) are not URLs and GitLab rejects them; write it as ssh://git@git.example.com/backup/app.git"],
    ["ftp url", { url: "ftp://git.example.com/app.git" }, "url", 'scheme "ftp" is not supported; GitLab only mirrors to http, https, ssh, git URLs'],
    ["bad username", { url: "https://_bot:s3cret-pass@git.example.com/app.git" }, "url", "the username in https://git.example.com/app.git must start with a letter or a digit, in any script (GitLab rejects it otherwise)"],
    ["enabled not boolean", { enabled: "yes" }, "enabled", "must be true or false"],
    ["bad auth method", { authMethod: "token" }, "authMethod", 'must be "password" or "ssh_public_key"'],
    ["ssh key auth on https", { authMethod: "ssh_public_key" }, "authMethod", '"ssh_public_key" only works with ssh:// URLs (GitLab uses the key only for SSH pushes); use "password" for a https:// URL'],
    ["onlyProtectedBranches not boolean", { onlyProtectedBranches: 1 }, "onlyProtectedBranches", "must be true or false"],
    ["keepDivergentRefs not boolean", { keepDivergentRefs: "false" }, "keepDivergentRefs", "must be true or false"],
    ["regex too long", { mirrorBranchRegex: "a".repeat(256) }, "mirrorBranchRegex", "is 256 characters long; GitLab allows at most 255"],
    ["regex invalid", { mirrorBranchRegex: "(main" }, "mirrorBranchRegex", "is not valid RE2 syntax: missing closing ) in `(main`"],
    ["regex lookahead", { mirrorBranchRegex: "^(?!wip/)" }, "mirrorBranchRegex", "uses a negative lookahead ((?!...)), which GitLab's RE2 regex engine does not support"],
    ["regex lookbehind", { mirrorBranchRegex: "(?<=x)y" }, "mirrorBranchRegex", "uses a lookbehind ((?<=...)), which GitLab's RE2 regex engine does not support"],
    ["regex backreference", { mirrorBranchRegex: "(a)\\1" }, "mirrorBranchRegex", "uses a backreference (\\1), which GitLab's RE2 regex engine does not support"],
    ["regex with onlyProtectedBranches", { mirrorBranchRegex: "^main$", onlyProtectedBranches: true }, "mirrorBranchRegex", "cannot be combined with onlyProtectedBranches: true (GitLab rejects both together); remove one of them"],
    ["hostKeys not a list", { hostKeys: ED25519 }, "hostKeys", "must be a list of strings"],
    ["hostKeys entry not a string", { hostKeys: [ED25519, 5] }, "hostKeys", "entry 2 must be a string"],
    ["hostKeys entry not a key", { hostKeys: ["nope"] }, "hostKeys", 'entry 1 is neither a known_hosts line ("host keytype base64") nor a bare key ("keytype base64"); key types: ssh-ed25519, ssh-rsa, ssh-dss, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com'],
    ["hostKeys type mismatch", { hostKeys: [ED25519.replace("ssh-ed25519", "ssh-rsa")] }, "hostKeys", "entry 1 says ssh-rsa but its key data is a ssh-ed25519 key"],
    ["too many hostKeys", { hostKeys: Array(11).fill(ED25519) }, "hostKeys", "has 11 entries; GitLab accepts at most 10"],
    ["sync timeout too long", { syncTimeoutSeconds: 3601 }, "syncTimeoutSeconds", "must be more than 0 and at most 3600 seconds"],
    ["sync timeout zero", { syncTimeoutSeconds: 0 }, "syncTimeoutSeconds", "must be more than 0 and at most 3600 seconds"],
    ["sync timeout not a number", { syncTimeoutSeconds: "60" }, "syncTimeoutSeconds", "must be a number of seconds"],
    ["syncTrigger not a string", { syncTrigger: true }, "syncTrigger", "must be a string"],
    ["syncOnApply not boolean", { syncOnApply: "true" }, "syncOnApply", "must be true or false"],
    ["waitForSync not boolean", { waitForSync: "no" }, "waitForSync", "must be true or false"],
    ["adopt not boolean", { adopt: {} }, "adopt", "must be true or false"],
  ])("%s is reported on its property", (_title, extra, property, reason) => {
    expect(check(extra)).toEqual([{ property, reason }]);
  });

  it("reports every problem at once", () => {
    const failures = checkInputs({ project: "", url: "git@h.example.com:x.git", enabled: "on", hostKeys: ["x"], syncTimeoutSeconds: -1 });
    expect(failures.map((f) => f.property)).toEqual(["project", "url", "enabled", "hostKeys", "syncTimeoutSeconds"]);
  });

  it("never echoes the URL's credentials in a reason", () => {
    const secretUrls = [
      "https://_bot:hunter2-secret@git.example.com/app.git",
      "ftp://bot:hunter2-secret@git.example.com/app.git",
      "HTTPS://bot:hunter2-secret@git.example.com/app.git",
      "https://bot:hunter2-secret@git.example.com/app.git\n",
    ];
    for (const url of secretUrls) {
      const failures = check({ url, authMethod: "ssh_public_key" });
      expect(failures.length).toBeGreaterThan(0);
      expect(JSON.stringify(failures)).not.toContain("hunter2");
    }
  });

  it("tolerates the preview's unknown sentinel in any field, even booleans and lists", () => {
    const allUnknown = Object.fromEntries(INPUT_FIELDS.map((f) => [f, UNKNOWN]));
    expect(checkInputs(allUnknown)).toEqual([]);
    expect(check({ hostKeys: [ED25519, UNKNOWN] })).toEqual([]);
    expect(check({ url: UNKNOWN, authMethod: "ssh_public_key" })).toEqual([]);
    expect(check({ onlyProtectedBranches: UNKNOWN, mirrorBranchRegex: "^main$" })).toEqual([]);
  });

  it("still validates the known fields next to unknown ones", () => {
    expect(check({ url: UNKNOWN, enabled: "nope" })).toEqual([{ property: "enabled", reason: "must be true or false" }]);
  });

  it("validates the known entries of a list next to an unknown one, and counts them all", () => {
    expect(check({ hostKeys: ["not a key", UNKNOWN] })).toEqual([{ property: "hostKeys", reason: expect.stringMatching(/^entry 1 /) }]);
    expect(check({ hostKeys: [UNKNOWN, "not a key"] })).toEqual([{ property: "hostKeys", reason: expect.stringMatching(/^entry 2 /) }]);
    expect(check({ hostKeys: Array.from({ length: 11 }, () => UNKNOWN) })).toEqual([{ property: "hostKeys", reason: "has 11 entries; GitLab accepts at most 10" }]);
  });

  it("knows only the core's own marker: the engine's unknown is an ordinary, wrong value (adapters decode it)", () => {
    expect(typeof UNKNOWN).not.toBe("string");
    expect(check({ enabled: ENGINE_UNKNOWN })).toEqual([{ property: "enabled", reason: "must be true or false" }]);
    expect(check({ url: ENGINE_UNKNOWN }).map((f) => f.property)).toEqual(["url"]);
    expect(check({ hostKeys: [ED25519, ENGINE_UNKNOWN] }).map((f) => f.property)).toEqual(["hostKeys"]);
    expect(fieldWithDefault("enabled", ENGINE_UNKNOWN)).toBe(ENGINE_UNKNOWN);
  });
});

describe("normalisation", () => {
  it("applies the documented defaults", () => {
    expect(withDefaults(GOOD)).toEqual({
      ...GOOD,
      enabled: true,
      authMethod: "password",
      onlyProtectedBranches: true,
      keepDivergentRefs: true,
      mirrorBranchRegex: null,
      hostKeys: [],
      syncOnApply: false,
      waitForSync: false,
      syncTimeoutSeconds: 300,
      syncTrigger: null,
      adopt: false,
    });
  });

  // Regression (issue 10, item 16): two different large ids became the same number and compared equal.
  it("keeps digits beyond an exact id as written, so two different large ids never compare equal", () => {
    expect(withDefaults({ ...GOOD, project: "99999999999999999999" }).project).toBe("99999999999999999999");
    expect(withDefaults({ ...GOOD, project: "99999999999999999998" }).project).not.toBe(
      withDefaults({ ...GOOD, project: "99999999999999999999" }).project,
    );
    expect(withDefaults({ ...GOOD, project: String(Number.MAX_SAFE_INTEGER) }).project).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("turns a numeric project string into a number, an empty regex into none and trims host keys", () => {
    const normalised = withDefaults({ ...GOOD, project: "42", mirrorBranchRegex: "", hostKeys: [`  ${ED25519} `] });
    expect(normalised.project).toBe(42);
    expect(normalised.mirrorBranchRegex).toBeNull();
    expect(normalised.hostKeys).toEqual([ED25519]);
  });

  it.each([
    [{}],
    [GOOD],
    [{ ...GOOD, project: "7", enabled: false, mirrorBranchRegex: "", hostKeys: [` ${ED25519}`], syncTrigger: "" }],
    [{ ...GOOD, authMethod: "ssh_public_key", syncTimeoutSeconds: 10, syncTrigger: "x", adopt: true }],
  ])("normalising twice changes nothing (%#)", (inputs) => {
    const once = withDefaults(inputs);
    expect(withDefaults(once as unknown as Record<string, unknown>)).toEqual(once);
  });

  it("passes unknown values through", () => {
    for (const field of INPUT_FIELDS) expect(fieldWithDefault(field, UNKNOWN)).toBe(UNKNOWN);
  });

  it.each(INPUT_FIELDS.filter((field) => fieldMeta(field).default !== undefined))("%s defaults to the field table's value", (field) => {
    expect(withDefaults(GOOD)[field]).toEqual(fieldMeta(field).default);
  });

  // Terraform's resource and pulumi-gitlab default the same way: users migrate from them.
  it("protected branches only by default, unless a regex chooses the branches", () => {
    expect(withDefaults(GOOD).onlyProtectedBranches).toBe(true);
    expect(withDefaults({ ...GOOD, mirrorBranchRegex: "^release/" }).onlyProtectedBranches).toBe(false);
    expect(fieldWithDefault("onlyProtectedBranches", undefined, { mirrorBranchRegex: UNKNOWN })).toBe(UNKNOWN);
  });
});

describe("inputsToRecord: the inputs as the engine records them", () => {
  it("spells out the defaults of GitLab's attributes, and leaves out unset optional fields and the steering settings at their defaults", () => {
    expect(inputsToRecord(GOOD)).toEqual({
      ...GOOD,
      enabled: true,
      authMethod: "password",
      onlyProtectedBranches: true,
      keepDivergentRefs: true,
      hostKeys: [],
    });
  });

  it("keeps a steering setting given with another value than its default", () => {
    const given = { ...GOOD, syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60, adopt: true, syncTrigger: "v2" };
    expect(inputsToRecord(given)).toMatchObject({ syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60, adopt: true, syncTrigger: "v2" });
    expect(inputsToRecord({ ...GOOD, syncOnApply: false, syncTimeoutSeconds: 300 })).toEqual(inputsToRecord(GOOD));
  });

  it("a steering setting returned to its default is a change the diff sees, with nothing sent to GitLab", () => {
    const diff = diffMirror(inputsToRecord({ ...GOOD, syncOnApply: true }), inputsToRecord(GOOD));
    expect(diff).toMatchObject({ changes: true, updates: ["syncOnApply"], replaces: [] });
    expect(updateAttributes(diff.updates, withDefaults(GOOD))).toEqual({});
  });

  it("keeps what the program gave and unknown values", () => {
    const given = { ...GOOD, enabled: false, mirrorBranchRegex: "^r/", syncTrigger: UNKNOWN };
    expect(inputsToRecord(given)).toMatchObject({ enabled: false, mirrorBranchRegex: "^r/", onlyProtectedBranches: false, syncTrigger: UNKNOWN });
  });

  it("is what normalising leaves, so a read's inputs and a program's inputs compare equal", () => {
    expect(inputsToRecord(inputsToRecord(GOOD))).toEqual(inputsToRecord(GOOD));
  });
});

describe("hideSecretProperties", () => {
  // The engine prints a failing property's value next to the reason, even a secret one.
  it("moves a secret input's name into the reason, so the engine prints no value", () => {
    expect(hideSecretProperties([{ property: "url", reason: "has no host" }])).toEqual([{ property: "", reason: "url has no host" }]);
  });

  it("does the same for keys that are not inputs (configuration), and keeps plain inputs", () => {
    expect(hideSecretProperties([{ property: "gitlab:token", reason: "is not set" }, { property: "enabled", reason: "must be true or false" }])).toEqual([
      { property: "", reason: "gitlab:token is not set" },
      { property: "enabled", reason: "must be true or false" },
    ]);
  });
});
