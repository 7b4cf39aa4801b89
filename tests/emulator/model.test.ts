import { titledByFirstCell } from "../support/titles";
/** The emulator's pure rules, table-driven: ref planning, URL splitting/masking, scrubbing, regex checks. */
import { planRefUpdates, divergedMessage } from "../../emulator/mirroring/ref-plan";
import { fullUrl, maskedUrl, splitCredentials, trimSlashes } from "../../emulator/model/mirror-url";
import { mirrorSecrets, scrubSecrets } from "../../emulator/git/scrub";
import { branchMatches, protectedRuleMatches, re2SyntaxError } from "../../emulator/model/branch-regex";
import { coerceBoolean } from "../../emulator/http/params";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

/** Ancestry for the tables: A is an ancestor of B; C is unrelated. */
const ancestry = async (ancestor: string, descendant: string) => ancestor === descendant || (ancestor === A && descendant === B);

describe("planRefUpdates", () => {
  it.each([
    ["new refs are force-pushed, default branch first", { "refs/heads/x": B, "refs/heads/main": B }, {}, false, { updates: ["+refs/heads/main:refs/heads/main", "+refs/heads/x:refs/heads/x"], deletions: [], diverged: [] }],
    ["equal refs are left alone", { "refs/heads/main": B }, { "refs/heads/main": B }, false, { updates: [], deletions: [], diverged: [] }],
    ["diverged refs are forced without keep_divergent_refs", { "refs/heads/main": B }, { "refs/heads/main": C }, false, { updates: ["+refs/heads/main:refs/heads/main"], deletions: [], diverged: [] }],
    ["fast-forwards are pushed unforced with keep_divergent_refs", { "refs/heads/main": B }, { "refs/heads/main": A }, true, { updates: ["refs/heads/main:refs/heads/main"], deletions: [], diverged: [] }],
    ["diverged refs are reported with keep_divergent_refs", { "refs/heads/main": B }, { "refs/heads/main": C }, true, { updates: [], deletions: [], diverged: ["refs/heads/main"] }],
    ["merged remote-only refs are deleted", { "refs/heads/main": B }, { "refs/heads/main": B, "refs/heads/old": A, "refs/tags/t": A }, false, { updates: [], deletions: [":refs/heads/old", ":refs/tags/t"], diverged: [] }],
    ["unmerged remote-only refs are kept", { "refs/heads/main": B }, { "refs/heads/main": B, "refs/heads/wip": C }, false, { updates: [], deletions: [], diverged: [] }],
    ["nothing is deleted with keep_divergent_refs", { "refs/heads/main": B }, { "refs/heads/main": B, "refs/heads/old": A }, true, { updates: [], deletions: [], diverged: [] }],
  ])("%s", async (_title, local, remote, keep, expected) => {
    const plan = await planRefUpdates({
      local: new Map(Object.entries(local)),
      remote: new Map(Object.entries(remote)),
      branchFilter: () => true,
      keepDivergentRefs: keep as boolean,
      defaultRef: "refs/heads/main",
      isAncestor: ancestry,
    });
    expect(plan).toEqual(expected);
  });

  it("applies the branch filter to pushes and deletions but never to tags", async () => {
    const plan = await planRefUpdates({
      local: new Map([["refs/heads/main", B], ["refs/heads/topic", B], ["refs/tags/v1", B]]),
      remote: new Map([["refs/heads/old-topic", A], ["refs/heads/main-old", A]]),
      branchFilter: (b) => b.startsWith("main"),
      keepDivergentRefs: false,
      defaultRef: "refs/heads/main",
      isAncestor: ancestry,
    });
    expect(plan).toEqual({ updates: ["+refs/heads/main:refs/heads/main", "+refs/tags/v1:refs/tags/v1"], deletions: [":refs/heads/main-old"], diverged: [] });
  });

  it("does not delete anything when the default branch does not exist locally", async () => {
    const plan = await planRefUpdates({
      local: new Map([["refs/heads/topic", B]]),
      remote: new Map([["refs/heads/old", A]]),
      branchFilter: () => true,
      keepDivergentRefs: false,
      defaultRef: undefined,
      isAncestor: ancestry,
    });
    expect(plan.deletions).toEqual([]);
  });

  it("formats GitLab's divergence message", () => {
    expect(divergedMessage(["refs/heads/a", "refs/tags/b"])).toBe("Some refs have diverged and have not been updated on the remote:\n\nrefs/heads/a\nrefs/tags/b");
  });
});

describe("mirror URLs", () => {
  it.each(titledByFirstCell<[string, Record<string, string>]>([
    ["https://user:p@ss@host/x.git", { url: "https://host/x.git", user: "user", password: "p@ss" }],
    ["https://tok@host/x.git", { url: "https://host/x.git", user: "tok" }],
    ["https://us%40er:pw@host/x.git", { url: "https://host/x.git", user: "us%40er", password: "pw" }],
    ["  ssh://git@host:2222/x.git ", { url: "ssh://host:2222/x.git", user: "git" }],
    ["ftp://u:p@host/x", { url: "ftp://u:p@host/x" }],
  ]))("splits credentials off %s", (_title, raw, expected) => {
    expect(splitCredentials(raw)).toEqual(expected);
  });

  it("rebuilds the full URL with CGI-style escaping (so %40 is double-encoded, as in GitLab)", () => {
    expect(fullUrl("https://host/x.git", { user: "us%40er", password: "a b" })).toBe("https://us%2540er:a%20b@host/x.git");
  });

  it("trims leading and trailing slashes only", () => {
    expect(trimSlashes("//a//b//")).toBe("a//b");
    expect(trimSlashes("///")).toBe("");
  });

  it("masks to null when the URL does not parse", () => {
    expect(maskedUrl("http://exa mple.com/x", {})).toBeNull();
  });
});

describe("scrubSecrets", () => {
  it("masks URL userinfo and the given secrets in plain, URL-encoded and base64 form", () => {
    const text = "fatal: https://bot:hunter2!@h/x failed; pw hunter2! or hunter2%21 or " + Buffer.from("hunter2!").toString("base64");
    const out = scrubSecrets(text, ["hunter2!"]);
    expect(out).not.toContain("hunter2");
    expect(out).toContain("https://*****:*****@h/x");
  });

  it("keeps the user name git visible, as GitLab does, and masks its password", () => {
    const text = "git ls-remote failed: ssh://git@h/x.git, https://git:pw-123@h/x.git, https://deploy@h/x.git";
    expect(scrubSecrets(text, mirrorSecrets({ user: "git", password: "pw-123" }))).toBe(
      "git ls-remote failed: ssh://git@h/x.git, https://git:*****@h/x.git, https://*****:*****@h/x.git",
    );
  });
});

describe("branch rules", () => {
  it.each([
    ["release/*", "release/1.0", true],
    ["release/*", "release", false],
    ["main", "maintenance", false],
    ["*-stable", "13-stable", true],
    ["v1.0", "v1x0", false],
    ["v1.(0)+", "v1.(0)+", true],
    ["v1.(0)+", "v1.00", false],
  ])("protected rule %s vs %s", (rule, branch, expected) => {
    expect(protectedRuleMatches(rule, branch)).toBe(expected);
  });

  it.each([
    ["ok.*", undefined],
    ["(?i)release", undefined],
    ["\\Arelease\\z", undefined],
    ["(?P<name>rel)", undefined],
    ["a{1000}", undefined],
    ["a(?=b)", "invalid perl operator: (?="],
    ["(a)\\1", "invalid escape sequence: \\1"],
    ["[a", "missing ]: [a"],
    ["(a", "missing ): (a"],
    ["*a", "no argument for repetition operator: *"],
    ["a{1001}", "invalid repetition size: {1001}"],
    ["release\\Z", "invalid escape sequence: \\Z"],
  ])("RE2 check of %j", (pattern, expected) => {
    expect(re2SyntaxError(pattern)).toBe(expected);
  });

  it("matches mirror_branch_regex unanchored, with RE2 flags", () => {
    expect(branchMatches("feat", "defeat-x")).toBe(true);
    expect(branchMatches("(?i)^release/", "RELEASE/1.0")).toBe(true);
    expect(branchMatches("\\Amain\\z", "maintenance")).toBe(false);
  });

  it("matches a catastrophic-backtracking pattern in linear time (regression: ^(a+)+$ froze the server)", () => {
    const started = performance.now();
    expect(branchMatches("^(a+)+$", `${"a".repeat(26)}!`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("Grape boolean coercion", () => {
  it.each([
    [true, true], ["TRUE", true], ["t", true], ["yes", true], ["on", true], [1, true], ["1", true],
    [false, false], ["F", false], ["no", false], ["off", false], [0, false], ["0", false],
    ["", null], [null, null],
  ])("%j -> %j", (input, expected) => {
    expect(coerceBoolean(input)).toEqual({ ok: true, value: expected });
  });

  it.each([["maybe"], [2], [[true]], [{}]])("%j is invalid", (input) => {
    expect(coerceBoolean(input)).toEqual({ ok: false });
  });
});
