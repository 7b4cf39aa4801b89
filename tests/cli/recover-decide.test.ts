/** recover's pure parts: reading pending creates from an exported state, and the decision per create. */
import { decide, describe as describeDecision, Observed } from "../../cli/recover/decide";
import { managedMirrorIds, pendingMirrorCreates, PendingCreate, plainValue, resolvePendingCreates } from "../../cli/recover/state";

const PLUGIN = "gitlab-mirrors:index:RemoteMirror";
const urn = (name: string, type = PLUGIN) => `urn:pulumi:dev::p::${type}::${name}`;
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(value) });
const pending = (name: string, url: string, project: number | string = 1): PendingCreate => ({ urn: urn(name), path: "plugin", project, url, connection: {} });

describe("pendingMirrorCreates", () => {
  const providerUrn = "urn:pulumi:dev::p::pulumi:providers:gitlab-mirrors::gl";
  const deployment = {
    resources: [
      { urn: providerUrn, type: "pulumi:providers:gitlab-mirrors", id: "pid", inputs: { baseUrl: "https://gl.example", token: secret("glpat-x") } },
      { urn: urn("done"), type: PLUGIN, id: "1:7", inputs: {} },
    ],
    pending_operations: [
      { type: "creating", resource: { urn: urn("a"), type: PLUGIN, inputs: { project: 1, url: secret("https://u:p@h/a.git") }, provider: `${providerUrn}::pid` } },
      {
        type: "creating",
        resource: {
          urn: urn("d", "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror"),
          type: "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror",
          inputs: { __provider: 'var __impl = {path: "gitlab-mirrors/provider/dynamic/handlers"};', project: "g/app", url: secret("https://h/d.git") },
        },
      },
      { type: "creating", resource: { urn: urn("other", "pulumi-nodejs:dynamic:Resource"), type: "pulumi-nodejs:dynamic:Resource", inputs: { __provider: "someone else's" } } },
      { type: "creating", resource: { urn: urn("bucket", "aws:s3:Bucket"), type: "aws:s3:Bucket", inputs: {} } },
      { type: "updating", resource: { urn: urn("done"), type: PLUGIN, inputs: {} } },
      { type: "creating", resource: { urn: urn("unknown"), type: PLUGIN, inputs: { project: 1 } } },
    ],
  };

  it("finds ours on both paths, with the plugin's connection from its provider's recorded inputs", () => {
    const { pending: found, unreadable, others } = pendingMirrorCreates(deployment);
    expect(found).toEqual([
      { urn: urn("a"), path: "plugin", project: 1, url: "https://u:p@h/a.git", connection: { baseUrl: "https://gl.example", token: "glpat-x" } },
      { urn: urn("d", "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror"), path: "dynamic", project: "g/app", url: "https://h/d.git", connection: {} },
    ]);
    expect(unreadable.map((u) => u.urn)).toEqual([urn("unknown")]);
    expect(others).toEqual([urn("other", "pulumi-nodejs:dynamic:Resource"), urn("bucket", "aws:s3:Bucket")]);
  });

  it("refuses a state whose secrets are still encrypted", () => {
    expect(() => plainValue({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" })).toThrow("export it with --show-secrets");
  });

  it("knows the ids the state already manages", () => {
    expect([...managedMirrorIds(deployment)]).toEqual(["1:7"]);
  });

  it("resolvePendingCreates records imports with their ids, drops clears, keeps everything else", () => {
    const exported = { version: 3, deployment };
    const result = resolvePendingCreates(exported, new Map([[urn("a"), "1:9"]]), new Set([urn("unknown")]));
    const added = result.deployment.resources!.slice(-1)[0];
    expect(added).toMatchObject({ urn: urn("a"), id: "1:9", type: PLUGIN, provider: `${providerUrn}::pid`, outputs: { project: 1 } });
    expect(result.deployment.pending_operations!.map((op) => op.resource.urn)).toEqual([
      urn("d", "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror"),
      urn("other", "pulumi-nodejs:dynamic:Resource"),
      urn("bucket", "aws:s3:Bucket"),
      urn("done"),
    ]);
    expect(exported.deployment.pending_operations).toHaveLength(6);
  });
});

describe("decide", () => {
  const list = (...mirrors: Array<[number, string | null]>) => mirrors.map(([id, url]) => ({ id, url }));
  const seen = (p: PendingCreate, mirrors: ReturnType<typeof list>, projectId = 1): Observed => ({ pending: p, projectId, mirrors });

  it.each<[string, Observed[], string[], string[]]>([
    ["one unmanaged mirror with the URL (credentials aside): import it", [seen(pending("a", "https://bot:pw@H/a.git"), list([4, "https://*****:*****@h/a.git"]))], [], ["import 1:4"]],
    ["no mirror with the URL: clear", [seen(pending("a", "https://bot:pw@h/a.git"), list([4, "https://*****:*****@h/b.git"]))], [], ["clear"]],
    ["the path differs in case: another target for GitLab, so clear", [seen(pending("a", "https://h/A.git"), list([4, "https://h/a.git"]))], [], ["clear"]],
    ["the only candidate is managed already: leave", [seen(pending("a", "https://h/a.git"), list([4, "https://h/a.git"]))], ["1:4"], ["leave"]],
    ["two unmanaged candidates: leave, take neither", [seen(pending("a", "https://h/a.git"), list([4, "https://h/a.git"], [5, "https://x@h/a.git"]))], [], ["leave"]],
    ["a managed twin and one unmanaged: import the unmanaged", [seen(pending("a", "https://h/a.git"), list([4, "https://h/a.git"], [5, "https://h/a.git"]))], ["1:4"], ["import 1:5"]],
    [
      "two pending creates for one target: leave both",
      [seen(pending("a", "https://u:1@h/a.git"), list([4, "https://h/a.git"])), seen(pending("b", "https://u:2@h/a.git"), list([4, "https://h/a.git"]))],
      [],
      ["leave", "leave"],
    ],
    ["GitLab did not answer: leave", [{ pending: pending("a", "https://h/a.git"), failure: "GET failed" }], [], ["leave"]],
    ["a mirror GitLab could not parse (url null) is never a candidate", [seen(pending("a", "https://h/a.git"), list([4, null]))], [], ["clear"]],
  ])("%s", (_title, observed, managed, expected) => {
    const decisions = decide(observed, new Set(managed));
    expect(decisions.map((d) => (d.kind === "import" ? `import ${d.id}` : d.kind))).toEqual(expected);
  });

  it("says each decision without the URL's credentials", () => {
    const [decision] = decide([seen(pending("a", "https://bot:s3cret@h/a.git"), list([4, "https://*****:*****@h/a.git"]))], new Set());
    const line = describeDecision(decision);
    expect(line).toBe("import a (gitlab-mirrors:index:RemoteMirror): GitLab holds mirror 1:4 for https://h/a.git, made by the interrupted run");
    expect(line).not.toContain("s3cret");
  });
});
