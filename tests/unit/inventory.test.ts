import * as fs from "node:fs";
import * as path from "node:path";
import { formatPath, loadInventory, urlWithCredentials, type InventoryMirror } from "../../cli/inventory";

const SAMPLE = path.resolve(__dirname, "..", "..", "examples", "inventory", "inventory.yaml");
const SECRET = "inventory-test-secret-password";

function problemsOf(text: string, credentialNames?: ReadonlySet<string>): { code: unknown; message: string } {
  try {
    loadInventory(text, "inventory.yaml", credentialNames);
  } catch (err) {
    const { code, message } = err as { code: unknown; message: string };
    return { code, message };
  }
  throw new Error("the inventory was accepted");
}

function byName(mirrors: InventoryMirror[]): Record<string, Omit<InventoryMirror, "name" | "group">> {
  return Object.fromEntries(mirrors.map(({ name, group: _group, ...rest }) => [name, rest]));
}

describe("loadInventory", () => {
  it("resolves the sample inventory: one list per group, settings cascading from defaults to group, project and target", () => {
    const groups = loadInventory(fs.readFileSync(SAMPLE, "utf8"), SAMPLE, new Set(["backup-bot", "partner-bot"]));
    expect([...groups.keys()]).toEqual(["platform", "data"]);
    expect(byName(groups.get("platform")!)).toEqual({
      "platform/api->https://backup.example.com/platform/api.git": {
        project: "platform/api",
        url: "https://backup.example.com/platform/api.git",
        credentials: "backup-bot",
        enabled: true,
        keepDivergentRefs: true,
        onlyProtectedBranches: true,
      },
      "platform/api->https://git.example.org/acme/platform-api.git": {
        project: "platform/api",
        url: "https://git.example.org/acme/platform-api.git",
        credentials: "partner-bot",
        enabled: true,
        keepDivergentRefs: true,
        onlyProtectedBranches: true,
      },
      "platform/web->https://backup.example.com/platform/web.git": {
        project: "platform/web",
        url: "https://backup.example.com/platform/web.git",
        credentials: "backup-bot",
        enabled: true,
        keepDivergentRefs: true,
        onlyProtectedBranches: true,
      },
    });
    expect(byName(groups.get("data")!)).toEqual({
      "data/pipelines->https://backup.example.com/data/pipelines.git": {
        project: "data/pipelines",
        url: "https://backup.example.com/data/pipelines.git",
        credentials: "backup-bot",
        enabled: true,
        keepDivergentRefs: false,
        mirrorBranchRegex: "^(main|release/.*)$",
      },
      "data/pipelines->ssh://git@git.example.org/acme/pipelines.git": {
        project: "data/pipelines",
        url: "ssh://git@git.example.org/acme/pipelines.git",
        enabled: true,
        keepDivergentRefs: false,
        authMethod: "ssh_public_key",
      },
      "data/warehouse->https://backup.example.com/data/warehouse.git": {
        project: "data/warehouse",
        url: "https://backup.example.com/data/warehouse.git",
        credentials: "backup-bot",
        enabled: false,
        keepDivergentRefs: true,
      },
    });
  });

  it("reads a JSON inventory too", () => {
    const json = JSON.stringify({ groups: { ops: { projects: { "ops/tools": { targets: [{ url: "https://backup.example.com/ops/tools.git" }] } } } } });
    const groups = loadInventory(json, "inventory.json");
    expect(groups.get("ops")).toEqual([
      { name: "ops/tools->https://backup.example.com/ops/tools.git", group: "ops", project: "ops/tools", url: "https://backup.example.com/ops/tools.git" },
    ]);
  });

  it("names a mirror by its project and URL, so that removing one target leaves the others' names alone", () => {
    const text = (urls: string[]) =>
      JSON.stringify({ groups: { ops: { projects: { "ops/tools": { targets: urls.map((url) => ({ url })) } } } } });
    const a = "https://a.example.com/tools.git";
    const b = "https://b.example.com/tools.git";
    const before = loadInventory(text([a, b]), "inventory.yaml").get("ops")!.map((m) => m.name);
    const after = loadInventory(text([b]), "inventory.yaml").get("ops")!.map((m) => m.name);
    expect(after).toEqual([before[1]]);
  });

  it("lists every problem at once, each with its path in the file, as GLM_ERR_INVALID_INPUT, without the password it found", () => {
    const yaml = `
defaults:
  credentials: backup-bot
  enabled: yes-please
groups:
  "bad group":
    projects: {}
  platform:
    defaults:
      onlyProtectedBranches: true
    projects:
      platform/app:
        targets:
          - url: https://backup.example.com/platform/app.git
          - url: https://bot:${SECRET}@backup.example.com/platform/other.git
          - url: https://backup.example.com/platform/app.git
            mirrorBranchRegex: ^main$
          - url: https://backup.example.com/platform/third.git
            credentials: nobody
            colour: blue
  data:
    projects:
      platform/app:
        targets: []
      data/many:
        defaults:
          credentials: null
        targets:
${Array.from({ length: 11 }, (_, i) => `          - url: https://backup.example.com/data/many-${i}.git`).join("\n")}
`;
    // The shape first (with the group names); the rules across entries need a well-formed file.
    const shape = problemsOf(yaml, new Set(["backup-bot"]));
    expect(shape.code).toBe("GLM_ERR_INVALID_INPUT");
    expect(shape.message.split("\n").slice(1)).toEqual([
      "  defaults.enabled: Invalid input: expected boolean, received string",
      '  groups.platform.projects["platform/app"].targets[3]: Unrecognized key: "colour"',
      '  groups["bad group"]: is not a valid group name: use letters, digits, \'_\', \'.\', \'-\' (each group is a stack of that name)',
    ]);

    const rules = problemsOf(
      yaml.replace("enabled: yes-please", "enabled: true").replace('"bad group"', "ops").replace("colour: blue", ""),
      new Set(["backup-bot"]),
    );
    expect(rules.message).toBe(
      [
        "Invalid input inventory.yaml: 6 problem(s); fix them all and run again:",
        '  groups.platform.projects["platform/app"].targets[1].url: holds a password; the inventory is not secret: name a credential (`credentials: <name>`) and keep its value in the credentials file (or the stack\'s `inventory:credentials` secret)',
        '  groups.platform.projects["platform/app"].targets[2].mirrorBranchRegex: cannot be combined with onlyProtectedBranches: true (GitLab rejects both together); remove one of them',
        '  groups.platform.projects["platform/app"].targets[2].url: is the target of targets[0] (the same URL without credentials); GitLab holds one mirror per URL in a project',
        '  groups.platform.projects["platform/app"].targets[3].credentials: names nobody, which the credentials do not hold (they hold: backup-bot)',
        '  groups.data.projects["platform/app"]: is the project groups.platform.projects["platform/app"] already lists (GitLab paths ignore case); list a project once',
        '  groups.data.projects["data/many"].targets: has 11 enabled mirrors; GitLab allows at most 10 per project',
      ].join("\n"),
    );
    expect(`${shape.message}${rules.message}`).not.toContain(SECRET);
  });

  it("says where a file is not YAML, without quoting the line (it could hold a credential written by mistake)", () => {
    const { code, message } = problemsOf(`groups:\n  ops: {url: "https://bot:${SECRET}@backup.example.com/a.git"\n`);
    expect(code).toBe("GLM_ERR_INVALID_INPUT");
    expect(message).toMatch(/^Invalid input inventory\.yaml: 1 problem\(s\); fix them all and run again:\n {2}\(file\): is not valid YAML at line \d+, column \d+ \([A-Z_]+\)$/);
    expect(message).not.toContain(SECRET);
  });
});

describe("formatPath", () => {
  it.each<[Array<string | number>, string]>([
    [[], "(top level)"],
    [["groups", "platform", "projects", "platform/app", "targets", 1, "url"], 'groups.platform.projects["platform/app"].targets[1].url'],
    [["groups", "my-group"], 'groups["my-group"]'],
  ])("%j reads as %s", (keys, text) => {
    expect(formatPath(keys)).toBe(text);
  });
});

describe("urlWithCredentials", () => {
  it("puts the credential's user and password into the URL, encoded", () => {
    expect(urlWithCredentials("https://backup.example.com/a.git", { username: "bot", password: "p@ss/word" })).toBe(
      "https://bot:p%40ss%2Fword@backup.example.com/a.git",
    );
  });

  it("leaves a URL without a named credential as it is", () => {
    expect(urlWithCredentials("ssh://git@git.example.org/a.git", undefined)).toBe("ssh://git@git.example.org/a.git");
  });
});
