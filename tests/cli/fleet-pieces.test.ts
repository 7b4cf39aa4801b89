/** The fleet command's pure pieces: the group's program, the mirror-level plan, a failure said once. */
import { parse } from "yaml";
import { loadInventory } from "../../cli/inventory";
import { failureSummary } from "../../cli/fleet/command";
import { planStack, recordedSets } from "../../cli/fleet/plan";
import { groupProgram, SET_TYPE, userinfoOf } from "../../cli/fleet/program";

const INVENTORY = `
defaults:
  credentials: bot
groups:
  g:
    projects:
      Team/App:
        targets:
          - url: https://h.example/a$b.git
            mirrorBranchRegex: ^release/$
          - url: ssh://git@h.example/x.git
            credentials: null
            authMethod: ssh_public_key
`;

describe("groupProgram", () => {
  const mirrors = loadInventory(INVENTORY, "inventory.yaml").get("g")!;
  const credentials = { bot: { username: "bot", password: "p@ss:w/rd$1" } };
  const program = groupProgram(mirrors, credentials, "/opt/gitlab-mirrors");

  it("one ProjectMirrors per project, named by its case-blind path; credentials only in secret config", () => {
    const parsed = parse(program.text) as { packages: Record<string, string>; config: Record<string, unknown>; resources: Record<string, { type: string; properties: { project: string; mirrors: Array<Record<string, unknown>> } }> };
    expect(parsed.packages).toEqual({ "gitlab-mirrors": "/opt/gitlab-mirrors" });
    expect(parsed.config).toEqual({ cred0: { type: "string", secret: true } });
    expect(Object.keys(parsed.resources)).toEqual(["team/app"]);
    expect(parsed.resources["team/app"].type).toBe(SET_TYPE);
    expect(parsed.resources["team/app"].properties.project).toBe("Team/App");
    // A literal "$" is escaped for YAML's interpolation; the credential is interpolated, never written.
    expect(parsed.resources["team/app"].properties.mirrors).toEqual([
      { url: "https://${cred0}@h.example/a$$b.git", mirrorBranchRegex: "^release/$$" },
      { url: "ssh://git@h.example/x.git", authMethod: "ssh_public_key" },
    ]);
    expect(program.text).not.toContain("p@ss");
    expect(program.secrets).toEqual({ cred0: userinfoOf(credentials.bot) });
  });

  it("userinfo is percent-encoded as a URL carries it, so GitLab splits it where it should", () => {
    expect(userinfoOf({ username: "bot", password: "p@ss:w/rd$1" })).toBe("bot:p%40ss%3Aw%2Frd$1");
  });
});

describe("planStack", () => {
  const declared = loadInventory(INVENTORY, "inventory.yaml").get("g")!;
  const recorded = recordedSets([
    {
      type: SET_TYPE,
      inputs: { project: "team/app" },
      outputs: { mirrors: [{ target: "https://h.example/a$b.git", mirrorId: 3 }, { target: "https://h.example/old.git", mirrorId: 4 }] },
    },
    { type: SET_TYPE, inputs: { project: "team/gone" }, outputs: { mirrors: [{ target: "https://h.example/z.git", mirrorId: 9 }] } },
  ]);

  it("names each mirror added and deleted, a project gone included; the project's case does not count", () => {
    expect(planStack("g", declared, recorded)).toEqual({
      group: "g",
      action: "apply",
      adds: [{ project: "Team/App", target: "ssh://h.example/x.git" }],
      deletes: [
        { project: "team/app", target: "https://h.example/old.git", mirrorId: 4 },
        { project: "team/gone", target: "https://h.example/z.git", mirrorId: 9 },
      ],
      keeps: 1,
    });
  });

  it("a group gone from the inventory is retired: every recorded mirror is deleted", () => {
    expect(planStack("g", undefined, recorded)).toMatchObject({ action: "retire", adds: [], keeps: 0 });
    expect(planStack("g", undefined, recorded).deletes.map((d) => d.mirrorId)).toEqual([3, 4, 9]);
  });

  it("refuses a state whose secrets were not shown, rather than planning no deletes", () => {
    const encrypted = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" };
    expect(() => recordedSets([{ type: SET_TYPE, outputs: { mirrors: encrypted } }])).toThrow("encrypted");
  });
});

describe("failureSummary", () => {
  const advice401 =
    'POST /projects/1/remote_mirrors failed: 401 Unauthorized (GitLab: "401 Unauthorized"). Check that the token is valid. If the token was rotated, set the new one with pulumi config set --secret gitlab-mirrors:token <token> (…)';
  it("the same error on 200 resources is said once, with the count, naming GITLAB_TOKEN", () => {
    const errors = Array.from({ length: 200 }, (_, i) => `p-${i}: ${advice401.replace("/projects/1/", `/projects/${i}/`)}`);
    const summary = failureSummary(errors, "fallback");
    expect(summary).toBe(
      'p-0: POST /projects/0/remote_mirrors failed: 401 Unauthorized (GitLab: "401 Unauthorized"). Check that the token is valid. ' +
        "(this runner gives every stack the token in GITLAB_TOKEN: check that one) [and 199 more resource(s) with the same error]",
    );
  });

  it("different errors are each said once; none falls back to the CLI's words", () => {
    expect(failureSummary(["a: boom", "b: bang", "c: boom"], "x")).toBe("a: boom [and 1 more resource(s) with the same error] | b: bang");
    expect(failureSummary([], "the CLI's error line")).toBe("the CLI's error line");
  });
});
