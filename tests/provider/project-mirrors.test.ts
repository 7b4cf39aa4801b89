/**
 * ProjectMirrors through the plugin's resource adapter against the emulator: what GitLab holds after each
 * step, the requests each step sent, the recorded state, and the diffs the engine would show.
 */
import { DEFAULT_SEED, startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import { closeAll } from "../../provider/gitlab";
import { UNKNOWN } from "../../provider/mirror";
import { partialStateOf } from "../../provider/partial-state";
import { ProjectMirrorsResource } from "../../provider/plugin/project-mirrors";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { api, counters, resetCounters, ROOT_TOKEN, setFaults } from "./support";

const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
const URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:ProjectMirrors::set";
const PASSWORD = "Set-Pa55word-xyz";
const LIST = "GET /projects/:id/remote_mirrors";
const POST = "POST /projects/:id/remote_mirrors";
const PUT = "PUT /projects/:id/remote_mirrors/:mirror_id";
const DELETE = "DELETE /projects/:id/remote_mirrors/:mirror_id";

type Props = Record<string, unknown>;

const SEED: EmulatorSeed = {
  ...DEFAULT_SEED,
  projects: [1, 2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, path: `sets/p-${id}`, visibility: "private" as const, members: {}, protectedBranches: ["main"], defaultBranch: "main" })),
};

let gl: RunningEmulator;
let sets: ProjectMirrorsResource;
const lines: string[] = [];

beforeAll(async () => {
  gl = await startEmulator({ seed: SEED });
  const plugin = new RemoteMirrorPlugin((severity, message) => lines.push(`${severity}: ${message}`), {});
  plugin.configure(PROVIDER_URN, { baseUrl: gl.baseUrl, token: ROOT_TOKEN });
  sets = new ProjectMirrorsResource((urn) => plugin.contextFor(urn));
});

afterAll(async () => {
  await closeAll();
  await gl.close();
});

function url(name: string, password = PASSWORD): string {
  return `https://bot:${password}@mirror.example.com/${name}.git`;
}

async function gitlabMirrors(projectId: number): Promise<{ id: number; url: string; enabled: boolean }[]> {
  return (await api(gl.baseUrl, "GET", `/projects/${projectId}/remote_mirrors?per_page=100`)).body as { id: number; url: string; enabled: boolean }[];
}

/** A created set as the engine records it: checked inputs beside the outputs Create returned. */
async function created(given: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const check = sets.check(given);
  expect(check.failures).toEqual([]);
  const result = await sets.create(URN, check.inputs);
  return { id: result.id, inputs: check.inputs, outs: result.outs };
}

async function updated(before: { id: string; inputs: Props; outs: Props }, given: Props): Promise<{ id: string; inputs: Props; outs: Props }> {
  const check = sets.check(given);
  expect(check.failures).toEqual([]);
  const result = await sets.update(URN, before.id, before.outs, check.inputs, before.inputs);
  return { id: before.id, inputs: check.inputs, outs: result.outs };
}

describe("Check", () => {
  it("names both positions of two entries with the same target, never the URL", () => {
    const { failures } = sets.check({ project: 1, mirrors: [{ url: url("a") }, { url: url("b") }, { url: url("a", "other-secret") }] });
    expect(failures).toEqual([
      { property: "", reason: "mirrors[2].url has the same target as mirrors[0].url (credentials aside); GitLab holds one mirror per URL in a project" },
    ]);
    expect(JSON.stringify(failures)).not.toContain("other-secret");
  });

  it("refuses more enabled entries than GitLab allows, at preview", () => {
    const mirrors = Array.from({ length: 11 }, (_, i) => ({ url: url(`m${i}`) }));
    expect(sets.check({ project: 1, mirrors }).failures).toEqual([
      { property: "", reason: "mirrors has 11 enabled mirrors; GitLab allows at most 10 per project" },
    ]);
    mirrors[0] = { ...mirrors[0], enabled: false } as (typeof mirrors)[0];
    expect(sets.check({ project: 1, mirrors }).failures).toEqual([]);
  });

  it("reports every entry's problems with its path, and the settings that are not entry settings", () => {
    const { failures } = sets.check({
      project: "not a path",
      mirrors: [{ url: "git@host:group/x.git", enabled: "yes" }, { url: url("b"), adopt: true }],
      exclusive: 1,
    });
    expect(failures.map((f) => (f.property === "" ? f.reason.split(" ")[0] : f.property))).toEqual([
      "project",
      "exclusive",
      "mirrors[0].url",
      "mirrors[0].enabled",
      "mirrors[1].adopt",
    ]);
  });

  it("tolerates the preview's unknown values (decoded by the wire layer into the core's marker)", () => {
    const unknown = UNKNOWN;
    expect(sets.check({ project: unknown, mirrors: [{ url: unknown }, unknown] }).failures).toEqual([]);
    expect(sets.check({ project: 1, mirrors: unknown }).failures).toEqual([]);
  });
});

describe("lifecycle", () => {
  it("creates the set with one list and one POST per mirror, and records no credential", async () => {
    await resetCounters(gl.baseUrl);
    const set = await created({ project: 1, mirrors: [{ url: url("a") }, { url: url("b"), enabled: false }, { url: url("c") }] });
    expect(set.id).toBe("1");
    const seen = await counters(gl.baseUrl);
    expect(seen.routes).toEqual({ [LIST]: 1, [POST]: 3 });
    const held = await gitlabMirrors(1);
    expect(held.map((m) => [m.url, m.enabled])).toEqual([
      ["https://*****:*****@mirror.example.com/a.git", true],
      ["https://*****:*****@mirror.example.com/b.git", false],
      ["https://*****:*****@mirror.example.com/c.git", true],
    ]);
    expect((set.outs.mirrors as Props[]).map((m) => [m.target, m.mirrorId])).toEqual(held.map((m) => [m.url.replace("*****:*****@", ""), m.id]));
    expect(set.outs.unmanagedMirrors).toEqual([]);
    expect(JSON.stringify(set.outs)).not.toContain(PASSWORD);
  });

  it("sees no change when entries are reordered, and a detailed change of one entry's setting", async () => {
    const set = await created({ project: 2, mirrors: [{ url: url("a") }, { url: url("b") }] });
    const reordered = sets.check({ project: 2, mirrors: [{ url: url("b") }, { url: url("a") }] }).inputs;
    expect(sets.diff(set.outs, reordered, set.inputs).changes).toBe(false);
    const disabled = sets.check({ project: 2, mirrors: [{ url: url("b") }, { url: url("a"), enabled: false }] }).inputs;
    expect(sets.diff(set.outs, disabled, set.inputs)).toMatchObject({ changes: true, replaces: [], detailed: { "mirrors[1].enabled": "update" } });
  });

  it("updates only the entry that changed, and replaces only the mirror whose credentials changed", async () => {
    const set = await created({ project: 3, mirrors: [{ url: url("a") }, { url: url("b") }, { url: url("c") }] });
    const before = await gitlabMirrors(3);
    await resetCounters(gl.baseUrl);
    const next = await updated(set, { project: 3, mirrors: [{ url: url("a"), enabled: false }, { url: url("b", "rotated-secret") }, { url: url("c") }] });
    expect((await counters(gl.baseUrl)).routes).toEqual({ [LIST]: 1, [PUT]: 1, [DELETE]: 1, [POST]: 1 });
    const after = await gitlabMirrors(3);
    expect(after.find((m) => m.url.endsWith("/a.git"))).toMatchObject({ id: before[0].id, enabled: false });
    expect(after.find((m) => m.url.endsWith("/c.git"))?.id).toBe(before[2].id);
    const rotated = after.find((m) => m.url.endsWith("/b.git"));
    expect(rotated?.id).not.toBe(before[1].id);
    expect(after).toHaveLength(3);
    expect(sets.diff(next.outs, next.inputs, next.inputs).changes).toBe(false);
  });

  it("adds and removes entries in one update, deleting first, and never touches a mirror it does not declare", async () => {
    const set = await created({ project: 4, mirrors: [{ url: url("a") }, { url: url("b") }] });
    const byHand = await api(gl.baseUrl, "POST", "/projects/4/remote_mirrors", { url: url("by-hand"), enabled: true });
    expect(byHand.status).toBe(201);
    const next = await updated(set, { project: 4, mirrors: [{ url: url("b") }, { url: url("new") }] });
    const held = await gitlabMirrors(4);
    expect(held.map((m) => m.url.split("/").pop()).sort()).toEqual(["b.git", "by-hand.git", "new.git"]);
    expect(next.outs.unmanagedMirrors).toEqual([{ id: (byHand.body as { id: number }).id, url: "https://*****:*****@mirror.example.com/by-hand.git", enabled: true }]);
  });

  it("reports a mirror added by hand on refresh, and an exclusive set deletes it, naming it in the diff", async () => {
    const set = await created({ project: 5, mirrors: [{ url: url("a") }] });
    await api(gl.baseUrl, "POST", "/projects/5/remote_mirrors", { url: url("leak"), enabled: true });
    const read = await sets.read(URN, set.id, set.outs, set.inputs);
    expect(read.inputs).toBeUndefined();
    expect(read.props?.unmanagedMirrors).toEqual([expect.objectContaining({ url: "https://*****:*****@mirror.example.com/leak.git", enabled: true })]);
    expect(lines.some((line) => line.startsWith("warning: 5: mirror") && line.includes("leak.git") && line.includes("not declared"))).toBe(true);
    const exclusive = sets.check({ project: 5, mirrors: [{ url: url("a") }], exclusive: true }).inputs;
    const diff = sets.diff(read.props!, exclusive, set.inputs);
    expect(diff.detailed).toEqual({ exclusive: "update", "unmanagedMirrors[0]": "delete" });
    expect(diff.outputDiffs).toEqual(["unmanagedMirrors[0]"]);
    const next = await sets.update(URN, set.id, read.props!, exclusive, set.inputs);
    expect((await gitlabMirrors(5)).map((m) => m.url.split("/").pop())).toEqual(["a.git"]);
    expect(next.outs.unmanagedMirrors).toEqual([]);
  });

  it("takes over a mirror an interrupted run created, instead of creating a second one", async () => {
    const earlier = await api(gl.baseUrl, "POST", "/projects/6/remote_mirrors", { url: url("a"), enabled: false });
    await resetCounters(gl.baseUrl);
    const set = await created({ project: 6, mirrors: [{ url: url("a") }, { url: url("b") }] });
    expect((await counters(gl.baseUrl)).routes).toEqual({ [LIST]: 1, [PUT]: 1, [POST]: 1 });
    const held = await gitlabMirrors(6);
    expect(held).toHaveLength(2);
    expect(held[0]).toMatchObject({ id: (earlier.body as { id: number }).id, enabled: true });
    expect((set.outs.mirrors as Props[])[0].mirrorId).toBe(held[0].id);
    expect(lines.some((line) => line.includes(`took over mirror ${held[0].id} (https://mirror.example.com/a.git)`))).toBe(true);
  });

  it("records exactly what a failed create did, and the next update completes it without duplicates", async () => {
    await setFaults(gl.baseUrl, { routes: [POST], errors: { status: 400, count: 1 }, latencyMs: 0 });
    // One POST fails; whatever else went through is in the error's partial state, and nothing more.
    const inputs = sets.check({ project: 7, mirrors: [{ url: url("a") }, { url: url("b") }, { url: url("c") }] }).inputs;
    const err = await sets.create(URN, inputs).catch((e: unknown) => e);
    await fetch(`${gl.baseUrl}/-/emulator/faults`, { method: "DELETE" });
    const partial = partialStateOf(err);
    expect(partial?.id).toBe("7");
    const recorded = (partial?.properties.mirrors as Props[]).map((m) => m.mirrorId);
    const held = await gitlabMirrors(7);
    expect(recorded.sort()).toEqual(held.map((m) => m.id).sort());
    expect(held).toHaveLength(2);
    const diff = sets.diff(partial!.properties, inputs, inputs);
    expect(Object.values(diff.detailed)).toEqual(["add"]);
    const done = await sets.update(URN, "7", partial!.properties, inputs, inputs);
    expect((done.outs.mirrors as Props[]).map((m) => m.target)).toEqual(["a", "b", "c"].map((n) => `https://mirror.example.com/${n}.git`));
    expect(await gitlabMirrors(7)).toHaveLength(3);
  });

  it("disables recorded mirrors with one PUT each and no list", async () => {
    const set = await created({ project: 7, mirrors: [{ url: url("a") }, { url: url("b") }, { url: url("c") }] });
    await resetCounters(gl.baseUrl);
    await updated(set, { project: 7, mirrors: ["a", "b", "c"].map((n) => ({ url: url(n), enabled: false })) });
    expect((await counters(gl.baseUrl)).routes).toEqual({ [PUT]: 3 });
    expect((await gitlabMirrors(7)).map((m) => m.enabled)).toEqual([false, false, false]);
  });

  it("deletes the mirrors it declares and only those", async () => {
    const set = await created({ project: 8, mirrors: [{ url: url("a") }, { url: url("b") }] });
    await api(gl.baseUrl, "POST", "/projects/8/remote_mirrors", { url: url("theirs"), enabled: false });
    await sets.delete(URN, set.id, set.outs, set.inputs);
    expect((await gitlabMirrors(8)).map((m) => m.url.split("/").pop())).toEqual(["theirs.git"]);
  });

  it("imports every mirror of a project; declaring the real URLs afterwards is no change", async () => {
    const set = await created({ project: 2, mirrors: [{ url: url("x") }, { url: url("y"), keepDivergentRefs: false }] });
    await sets.delete(URN, "2", set.outs, set.inputs);
    for (const name of ["a", "b"]) await api(gl.baseUrl, "DELETE", `/projects/2/remote_mirrors/${(await gitlabMirrors(2)).find((m) => m.url.endsWith(`/${name}.git`))?.id}`);
    await api(gl.baseUrl, "POST", "/projects/2/remote_mirrors", { url: url("x"), enabled: true, keep_divergent_refs: true, only_protected_branches: true });
    const imported = await sets.read(URN, "2", {}, {});
    expect(imported.id).toBe("2");
    expect(imported.inputs).toEqual({ project: "sets/p-2", mirrors: [expect.objectContaining({ url: "https://*****:*****@mirror.example.com/x.git", enabled: true })] });
    const declared = sets.check({ project: "sets/p-2", mirrors: [{ url: url("x") }] }).inputs;
    expect(sets.diff(imported.props!, declared, imported.inputs).changes).toBe(false);
  });
});
