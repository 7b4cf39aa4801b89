import { DeclaredTargets } from "../../provider/plugin/declared-targets";
import { UNKNOWN } from "../../provider/mirror";
import { diffProjectMirrors, EntryState, ProjectMirrorsState, projectMirrorsInputsToRecord } from "../../provider/project-mirrors";

const url = (name: string, password = "pw") => `https://bot:${password}@mirror.example.com/${name}.git`;
const target = (name: string) => `https://mirror.example.com/${name}.git`;

function held(name: string, mirrorId: number, extra: Partial<EntryState> = {}): EntryState {
  return {
    target: target(name),
    mirrorId,
    maskedUrl: `https://*****:*****@mirror.example.com/${name}.git`,
    enabled: true,
    authMethod: "password",
    onlyProtectedBranches: true,
    keepDivergentRefs: true,
    updateStatus: "none",
    ...extra,
  };
}

const recordedAB = projectMirrorsInputsToRecord({ project: 1, mirrors: [{ url: url("a") }, { url: url("b") }] });
const stateAB: ProjectMirrorsState = { projectId: 1, mirrors: [held("a", 10), held("b", 11)], unmanagedMirrors: [] };

describe("diffProjectMirrors", () => {
  it.each([
    ["the same entries", [{ url: url("a") }, { url: url("b") }], {}],
    ["the entries reordered", [{ url: url("b") }, { url: url("a") }], {}],
    ["a new entry", [{ url: url("a") }, { url: url("b") }, { url: url("c") }], { "mirrors[2]": "add" }],
    ["an entry removed", [{ url: url("b") }], { "mirrors[0]": "delete" }],
    ["one entry disabled", [{ url: url("a") }, { url: url("b"), enabled: false }], { "mirrors[1].enabled": "update" }],
    ["one entry's credentials changed", [{ url: url("a", "new") }, { url: url("b") }], { "mirrors[0].url": "update" }],
    ["an entry whose URL is not known yet", [{ url: url("a") }, { url: UNKNOWN }], { "mirrors[1]": "add" }],
  ])("%s", (_title, mirrors, expected) => {
    const news = projectMirrorsInputsToRecord({ project: 1, mirrors });
    const diff = diffProjectMirrors(recordedAB, stateAB, news);
    expect(Object.fromEntries(Object.entries(diff.detailed).map(([path, change]) => [path, change.kind]))).toEqual(expected);
    expect(diff.replaces).toEqual([]);
  });

  it("sees what a halfway step left undone from the state, when the recorded inputs already say it is done", () => {
    const state: ProjectMirrorsState = { projectId: 1, mirrors: [held("a", 10, { enabled: false }), held("b", 11, { pending: "replace" })], unmanagedMirrors: [] };
    const diff = diffProjectMirrors(recordedAB, state, recordedAB);
    expect(diff.detailed).toEqual({ "mirrors[0].enabled": { kind: "update", inputDiff: true }, "mirrors[1].url": { kind: "update", inputDiff: true } });
  });

  it("takes GitLab's masked credentials of an imported entry as unknown, not different", () => {
    const imported = projectMirrorsInputsToRecord({ project: "g/app", mirrors: [{ url: "https://*****:*****@mirror.example.com/a.git" }] });
    const state: ProjectMirrorsState = { projectId: 1, mirrors: [held("a", 10)], unmanagedMirrors: [] };
    expect(diffProjectMirrors(imported, state, projectMirrorsInputsToRecord({ project: "g/app", mirrors: [{ url: url("a", "real") }] })).changes).toBe(false);
  });

  it("deletes the undeclared mirrors of an exclusive set, as a change of the recorded state", () => {
    const state: ProjectMirrorsState = { ...stateAB, unmanagedMirrors: [{ id: 99, url: "https://*****@leak.example.com/x.git", enabled: true }] };
    expect(diffProjectMirrors(recordedAB, state, recordedAB).changes).toBe(false);
    const exclusive = projectMirrorsInputsToRecord({ ...recordedAB, exclusive: true });
    expect(diffProjectMirrors(recordedAB, state, exclusive).detailed).toEqual({
      exclusive: { kind: "update", inputDiff: true },
      "unmanagedMirrors[0]": { kind: "delete", inputDiff: false },
    });
  });

  it("replaces the set when its project changes, deleting first unless both are different ids", () => {
    const toPath = diffProjectMirrors(recordedAB, stateAB, { ...recordedAB, project: "other/app" });
    expect(toPath).toMatchObject({ replaces: ["project"], deleteBeforeReplace: true });
    const toId = diffProjectMirrors(recordedAB, stateAB, { ...recordedAB, project: 2 });
    expect(toId).toMatchObject({ replaces: ["project"], deleteBeforeReplace: false });
    expect(diffProjectMirrors(recordedAB, stateAB, { ...recordedAB, project: 1 }).changes).toBe(false);
  });
});

describe("DeclaredTargets", () => {
  it("names the resource that declared a project's URL first, and forgets a resource's old declaration when it declares again", () => {
    const declared = new DeclaredTargets();
    expect(declared.claim("urn:a", "g/app", [{ path: "url", target: target("x") }])).toEqual([]);
    expect(declared.claim("urn:b", "G/App", [{ path: "mirrors[3].url", target: target("x") }])).toEqual([
      { path: "mirrors[3].url", target: target("x"), holder: "urn:a" },
    ]);
    expect(declared.claim("urn:b", "other/app", [{ path: "mirrors[0].url", target: target("x") }])).toEqual([]);
    expect(declared.claim("urn:a", "g/app", [{ path: "url", target: target("y") }])).toEqual([]);
    expect(declared.claim("urn:c", "g/app", [{ path: "url", target: target("x") }])).toEqual([]);
  });
});
