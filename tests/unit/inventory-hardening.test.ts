/**
 * Issue 21, items 1, 2, 3, 11 and 18: the inventory's identity rules are GitLab's, it never quotes a secret,
 * and it refuses a file too large before parsing it. Each case was accepted (or leaked) by the inventory
 * reader of examples/inventory before it moved into the package.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadInventory, MAX_INVENTORY_BYTES, readCredentialsFile, readInventoryFile } from "../../cli/inventory";

function problemsOf(yaml: string): string[] {
  try {
    loadInventory(yaml, "inventory.yaml");
  } catch (err) {
    return (err as Error).message.split("\n").slice(1).map((l) => l.trim());
  }
  return [];
}

const oneProject = (project: string, ...urls: string[]) =>
  `groups:\n  g:\n    projects:\n      ${JSON.stringify(project)}:\n        targets:\n${urls.map((u) => `          - url: ${JSON.stringify(u)}\n`).join("")}`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "glm-inventory-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("item 1: a malformed credentials file never has its text quoted", () => {
  it("says where (the line), never what", () => {
    const file = path.join(dir, "credentials.json");
    fs.writeFileSync(file, '{\n  "bot": {"username": "bot", "password": CredPw-adv3rs}\n}\n');
    const err = (() => {
      try {
        readCredentialsFile(file);
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error("expected a failure");
    })();
    expect(err.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(err.message).not.toContain("CredPw");
    expect(err.message).toMatch(/\(file\): is not valid JSON( at line 2)?; expected \{"<name>": \{"username": "\.\.\.", "password": "\.\.\."\}\}$/);
  });

  it("a value of the wrong shape is named by its place only", () => {
    const file = path.join(dir, "credentials-shape.json");
    fs.writeFileSync(file, JSON.stringify({ bot: { username: "bot", password: 12345678 } }));
    expect(() => readCredentialsFile(file)).toThrow(/bot\.password: /);
    try {
      readCredentialsFile(file);
    } catch (err) {
      expect((err as Error).message).not.toContain("12345678");
    }
  });
});

describe("items 2 and 3: inline credentials are found the way GitLab splits userinfo (at the last '@')", () => {
  it.each([
    ["a password after a backslash, which WHATWG URL takes for the host", "https://bot:123\\BsPw@host.example/x.git", "holds a password"],
    ["a token as the user name", "https://glpat-abcdefghijklmnop1234@host.example/x.git", "holds a user name, which may be a token"],
    ["a plain user name", "https://mirror-bot@host.example/x.git", "holds a user name"],
    ["a password with an '@' in it", "https://bot:p@ss@host.example/x.git", "holds a password"],
  ])("%s is refused, and the secret is not in the message", (_title, url, reason) => {
    const problems = problemsOf(oneProject("g/app", url));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`groups.g.projects["g/app"].targets[0].url: ${reason}`);
    for (const secret of ["123\\BsPw", "glpat-abcdefghijklmnop1234", "p@ss", "mirror-bot"]) expect(problems[0]).not.toContain(secret);
  });

  it("the ssh user git may be written (GitLab shows it; it is no secret)", () => {
    expect(problemsOf(oneProject("g/app", "ssh://git@host.example/x.git"))).toEqual([]);
  });
});

describe("item 11: a huge inventory is refused before it is parsed, naming the limit", () => {
  it("reads at most the limit and says so", () => {
    const file = path.join(dir, "huge.yaml");
    fs.writeFileSync(file, Buffer.alloc(MAX_INVENTORY_BYTES + 10, "#"));
    expect(() => readInventoryFile(file)).toThrow(`Invalid input ${file}: is larger than 8 MB, the most an inventory may hold; is it the right file?`);
  });
});

describe("item 18: identities are GitLab's", () => {
  it("a project key __proto__ is reported, not silently dropped with its targets", () => {
    const problems = problemsOf(oneProject("__proto__", "https://h.example/x.git"));
    expect(problems).toEqual([expect.stringMatching(/^groups\.g\.projects\.__proto__: "__proto__" has no group/)]);
  });

  it("Platform/API and platform/api in two groups are one project for GitLab: refused", () => {
    const yaml =
      "groups:\n  a:\n    projects:\n      Platform/API:\n        targets: [{url: 'https://h.example/1.git'}]\n" +
      "  b:\n    projects:\n      platform/api:\n        targets: [{url: 'https://h.example/2.git'}]\n";
    expect(problemsOf(yaml)).toEqual([
      'groups.b.projects["platform/api"]: is the project groups.a.projects["Platform/API"] already lists (GitLab paths ignore case); list a project once',
    ]);
  });

  it("https://h/x.git and https://git@h/x.git are one target for GitLab: refused", () => {
    expect(problemsOf(oneProject("g/app", "ssh://h.example/x.git", "ssh://git@h.example/x.git"))).toEqual([
      'groups.g.projects["g/app"].targets[1].url: is the target of targets[0] (the same URL without credentials); GitLab holds one mirror per URL in a project',
    ]);
  });

  it("…/Repo.git and …/repo.git are two targets for GitLab: both accepted; the host's case does not count", () => {
    expect(problemsOf(oneProject("g/app", "https://h.example/Repo.git", "https://h.example/repo.git"))).toEqual([]);
    expect(problemsOf(oneProject("g/app", "https://H.example/repo.git", "https://h.example/repo.git"))).toHaveLength(1);
  });

  it.each([["../../x"], ["a/../../b"], ["./."], ["group/.."], ["a b/c"], [""], ["solo"], ["g/app.git"], ["-g/app"], ["g/app."]])(
    "project key %j is refused with GitLab's path rules",
    (key) => {
      const problems = problemsOf(oneProject(key, "https://h.example/x.git"));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^groups\.g\.projects(\[".*"\]|\.\w+): (is empty|.* (has no group|has .* that GitLab does not allow in a path|ends in \.git or \.atom))/);
    },
  );

  it.each([["group/app"], ["a/b/c.d_e-f"], ["42"]])("project key %j is accepted", (key) => {
    expect(problemsOf(oneProject(key, "https://h.example/x.git"))).toEqual([]);
  });
});
