import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { UNKNOWN } from "../../provider/mirror/unknown";
import { titledByFirstCell } from "../support/titles";

const DEFAULT_URN = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
const EXPLICIT_URN = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::east";
const GOOD = { project: "demo/app", url: "https://bot:plugin-secret@git.example.com/backup/app.git" };

function plugin(env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  return { plugin: new RemoteMirrorPlugin((severity, message, urn) => lines.push(`${severity} ${urn} ${message}`), env), lines };
}

describe("RemoteMirrorPlugin configuration", () => {
  it("names the stack config keys of a default provider, with the command and the variable", () => {
    expect(plugin().plugin.checkConfig(DEFAULT_URN, {})).toEqual([
      { property: "", reason: "gitlab-mirrors:baseUrl is not set; run `pulumi config set gitlab-mirrors:baseUrl https://gitlab.example.com` or set GITLAB_BASE_URL" },
      { property: "", reason: "gitlab-mirrors:token is not set; run `pulumi config set --secret gitlab-mirrors:token <token>` or set GITLAB_TOKEN" },
    ]);
  });

  it("names an explicit provider's arguments", () => {
    expect(plugin().plugin.checkConfig(EXPLICIT_URN, { baseUrl: "ftp://gitlab.example.com", token: "t" })).toEqual([
      { property: "", reason: "the provider's baseUrl uses scheme ftp, which is not supported; use https:// (or http:// for a local GitLab)" },
    ]);
  });

  // Regression (issue 21, item 12): such tokens passed CheckConfig and failed at the first request, a
  // non-ASCII one after 5-11 s of retries saying the request "may or may not have reached GitLab".
  it.each(titledByFirstCell<[string, string, RegExp]>([
    ["CR/LF", "glpat-abc\r\ndef", /line break/],
    ["LF at the end", "glpat-abcdef\n", /line break/],
    ["a tab", "glpat-abc\tdef", /control character/],
    ["a space", "glpat-abc def", /space/],
    ["non-ASCII", "glpat-abcdéf", /outside printable ASCII \(U\+00E9\)/],
    ["an emoji", "glpat-abc\u{1F600}", /outside printable ASCII \(U\+1F600\)/],
  ]))("a token with %s fails at preview, naming the setting and not the token", (_title, _what, token, reason) => {
    for (const [urn, given, env] of [
      [DEFAULT_URN, { baseUrl: "https://gitlab.example.com", token }, {}],
      [DEFAULT_URN, {}, { GITLAB_BASE_URL: "https://gitlab.example.com", GITLAB_TOKEN: token }],
    ] as const) {
      const failures = plugin(env).plugin.checkConfig(urn, given);
      expect(failures).toHaveLength(1);
      expect(failures[0].reason).toMatch(/^gitlab-mirrors:token /);
      expect(failures[0].reason).toMatch(reason);
      expect(failures[0].reason).not.toContain("abc");
    }
  });

  it("a base URL holding a line break fails at preview (the URL parser would drop it silently)", () => {
    expect(plugin().plugin.checkConfig(DEFAULT_URN, { baseUrl: "https://gitlab.example.com\n/x", token: "t" })).toEqual([
      { property: "", reason: "gitlab-mirrors:baseUrl contains a line break or another control character; set it again without it" },
    ]);
  });

  it("a call with such a token fails as a configuration error, sending nothing", async () => {
    const { plugin: p } = plugin();
    p.configure(DEFAULT_URN, { baseUrl: "http://127.0.0.1:1", token: "glpat-abcdéf" });
    await expect(p.create("urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m", GOOD)).rejects.toMatchObject({
      code: "GLM_ERR_CONFIG",
      message: expect.stringContaining("outside printable ASCII"),
    });
  });

  it("earlyAuthCheck must be a switch (stack config gives it as text)", () => {
    const given = { baseUrl: "https://gitlab.example.com", token: "glpat-x" };
    for (const value of [true, false, "false", "TRUE", undefined]) expect(plugin().plugin.checkConfig(DEFAULT_URN, { ...given, earlyAuthCheck: value })).toEqual([]);
    expect(plugin().plugin.checkConfig(DEFAULT_URN, { ...given, earlyAuthCheck: "maybe" })).toEqual([
      { property: "", reason: "gitlab-mirrors:earlyAuthCheck must be true or false" },
    ]);
  });

  it("does not judge a setting that is not known yet (preview), and judges the other", () => {
    expect(plugin().plugin.checkConfig(EXPLICIT_URN, { baseUrl: UNKNOWN, token: "glpat-x" })).toEqual([]);
    expect(plugin().plugin.checkConfig(EXPLICIT_URN, { baseUrl: UNKNOWN, token: UNKNOWN, earlyAuthCheck: UNKNOWN })).toEqual([]);
    expect(plugin().plugin.checkConfig(EXPLICIT_URN, { baseUrl: UNKNOWN }).map((f) => f.reason)).toEqual([expect.stringMatching(/token/)]);
  });

  it("falls back to GITLAB_BASE_URL and GITLAB_TOKEN", () => {
    expect(plugin({ GITLAB_BASE_URL: "https://gitlab.example.com", GITLAB_TOKEN: "glpat-env" }).plugin.checkConfig(DEFAULT_URN, {})).toEqual([]);
  });

  it("a call without settings fails with GLM_ERR_CONFIG naming the key", async () => {
    const { plugin: p } = plugin();
    p.configure(DEFAULT_URN, {});
    await expect(p.create("urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m", GOOD)).rejects.toMatchObject({
      code: "GLM_ERR_CONFIG",
      message: expect.stringContaining("gitlab-mirrors:baseUrl"),
    });
  });

  it("a new base URL or token changes the provider and never replaces", () => {
    expect(plugin().plugin.diffConfig({ baseUrl: "a", token: "t" }, { baseUrl: "b", token: "t" })).toEqual({ changes: true, diffs: ["baseUrl"] });
    expect(plugin().plugin.diffConfig({ baseUrl: "a" }, { baseUrl: "a" })).toEqual({ changes: false, diffs: [] });
  });
});

describe("RemoteMirrorPlugin check and diff", () => {
  it("check writes the defaults of GitLab's attributes out, and reports a secret input's failure without a property", () => {
    const { plugin: p } = plugin();
    expect(p.check(GOOD).inputs).toMatchObject({ ...GOOD, enabled: true, keepDivergentRefs: true, onlyProtectedBranches: true });
    expect(p.check({ ...GOOD, url: "ftp://bot:plugin-secret@h/x.git" }).failures).toEqual([
      { property: "", reason: 'url scheme "ftp" is not supported; GitLab only mirrors to http, https, ssh, git URLs' },
    ]);
  });

  // Regression (issue 21, item 5): a regex the program marked secret was quoted in its failure's reason.
  it("never quotes an input the program marked secret, in its own failure or another's", () => {
    const { plugin: p } = plugin();
    const regex = "(glpat-regex-secret";
    const failures = p.check({ ...GOOD, mirrorBranchRegex: regex, syncTrigger: 5 }, ["mirrorBranchRegex", "syncTrigger"]).failures;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.property).toBe("");
      expect(failure.reason).not.toContain("glpat-regex-secret");
    }
    expect(failures.map((f) => f.reason)).toContainEqual(expect.stringMatching(/^mirrorBranchRegex /));
    // A project marked secret: its reason names the offending segment by position, never by its text.
    const path = p.check({ ...GOOD, project: "group/s3cret-grp./app" }, ["project"]).failures;
    expect(path).toHaveLength(1);
    expect(path[0].reason).not.toContain("s3cret");
    // Not secret: the property is named and the engine may show the value.
    expect(p.check({ ...GOOD, mirrorBranchRegex: "(open" }).failures[0]).toMatchObject({ property: "mirrorBranchRegex" });
  });

  it("diff reports each change with its kind, for the engine to show", () => {
    const { plugin: p } = plugin();
    const olds = { ...p.check(GOOD).inputs, projectId: 1, mirrorId: 2 };
    const rotated = { ...GOOD, url: "https://bot:rotated@git.example.com/backup/app.git", enabled: false };
    expect(p.diff(olds, p.check(rotated).inputs, undefined)).toEqual({
      changes: true,
      replaces: ["url"],
      deleteBeforeReplace: true,
      detailed: { url: "update-replace", enabled: "update" },
    });
    expect(p.diff(olds, p.check({ ...GOOD, syncTrigger: "1" }).inputs, undefined).detailed).toEqual({ syncTrigger: "add" });
  });

  it("marks the table's secret outputs and whatever the program made secret", () => {
    expect([...plugin().plugin.secretOutputs(["syncTrigger"])].sort()).toEqual(["publicKey", "syncTrigger", "url"]);
  });
});
