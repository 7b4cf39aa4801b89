/**
 * The `import` resource option with declared inputs that differ from GitLab's (issue 21, item 19): the
 * engine imports the mirror as it is, then updates it in the same run. The preview must say so.
 */
import { closeAll } from "../../provider/gitlab";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { FakeGitLab, mirrorEntity } from "../unit/gitlab-fake-server";

const URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::imported";
const PROVIDER = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
const URL = "https://bot:import-pw@example.com/group/target.git";

let gitlab: FakeGitLab;
let lines: string[];
let plugin: RemoteMirrorPlugin;

beforeEach(async () => {
  gitlab = await FakeGitLab.start();
  gitlab.on("GET", "/projects/1/remote_mirrors", { status: 200, json: [mirrorEntity({ id: 2, only_protected_branches: false, keep_divergent_refs: false })] });
  gitlab.on("GET", "/projects/1", { status: 200, json: { id: 1, path_with_namespace: "group/app", default_branch: "main" } });
  lines = [];
  plugin = new RemoteMirrorPlugin((severity, message, urn) => lines.push(`${severity} ${urn} ${message}`), {});
  plugin.configure(PROVIDER, { baseUrl: gitlab.origin, token: "glpat-import-test" });
});

afterEach(async () => {
  await gitlab.close();
  await closeAll();
});

async function importThenDiff(declared: Record<string, unknown>) {
  const read = await plugin.read(URN, "1:2", {}, {});
  const news = plugin.check(declared).inputs;
  return plugin.diff(read.props!, news, read.inputs, URN);
}

it("warns, on the imported resource, that the import will be followed by an update, naming the fields", async () => {
  const diff = await importThenDiff({ project: "group/app", url: URL, onlyProtectedBranches: true, keepDivergentRefs: false });
  expect(diff.detailed).toEqual({ onlyProtectedBranches: "update" });
  const warnings = lines.filter((line) => line.startsWith(`warning ${URN} `));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain("importing mirror 1:2: the declared inputs differ from the mirror GitLab has (onlyProtectedBranches)");
  expect(warnings[0]).toContain("then updates it to match in the same run");
  expect(warnings[0]).not.toContain("import-pw");
});

it("says nothing when the declared inputs match GitLab's", async () => {
  const diff = await importThenDiff({ project: "group/app", url: URL, onlyProtectedBranches: false, keepDivergentRefs: false });
  expect(diff.changes).toBe(false);
  expect(lines.filter((line) => line.startsWith("warning"))).toEqual([]);
});

it("a later diff of the same resource is no import", async () => {
  await importThenDiff({ project: "group/app", url: URL, onlyProtectedBranches: true, keepDivergentRefs: false });
  lines.length = 0;
  const olds = { ...plugin.check({ project: "group/app", url: URL }).inputs, projectId: 1, mirrorId: 2 };
  plugin.diff(olds, plugin.check({ project: "group/app", url: URL, enabled: false }).inputs, undefined, URN);
  expect(lines.filter((line) => line.startsWith("warning"))).toEqual([]);
});
