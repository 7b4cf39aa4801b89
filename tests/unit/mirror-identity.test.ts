/**
 * The resource id is the mirror's identity (issue 21, items 8 and 14): stored outputs that disagree with
 * it are a damaged state, reported as such with nothing sent; ids past 2^53 are refused as given.
 */
import type { Agent } from "undici";
import { closeAll } from "../../provider/gitlab";
import { createMirrorContext, MirrorContext, MirrorListCache, ProjectIdCache } from "../../provider/mirror";
import { createMirror, deleteMirror, readMirror, updateMirror } from "../support/mirror-core";
import { FakeGitLab, mirrorEntity, testAgent } from "./gitlab-fake-server";

let gitlab: FakeGitLab;
let agent: Agent;
const lines: string[] = [];

beforeEach(async () => {
  gitlab = await FakeGitLab.start();
  agent = testAgent();
  lines.length = 0;
  gitlab.on("GET", "/projects/1/remote_mirrors", { status: 200, json: [mirrorEntity({ id: 2 })] });
  gitlab.on("GET", "/projects/3/remote_mirrors", { status: 200, json: [mirrorEntity({ id: 4 })] });
  gitlab.on("DELETE", "/projects/1/remote_mirrors/2", { status: 204 });
  gitlab.on("DELETE", "/projects/3/remote_mirrors/4", { status: 204 });
});

afterEach(async () => {
  await gitlab.close();
  await agent.close();
  await closeAll();
});

function context(): MirrorContext {
  const log = (message: string) => void lines.push(message);
  return createMirrorContext({
    baseUrl: gitlab.origin,
    token: "glpat-identity-test",
    logger: { debug: log, info: log, warn: log },
    projectIds: new ProjectIdCache(),
    mirrorLists: new MirrorListCache(),
    clientOptions: { dispatcher: agent, maxRetries: 0 },
  });
}

const URL = "https://bot:pw-identity@example.com/group/target.git";
const corrupted = { project: 3, url: URL, projectId: 3, mirrorId: 4, enabled: true };

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; property?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error("expected the call to fail");
}

describe("outputs that name another mirror than the id", () => {
  it("delete refuses, naming both, and sends nothing", async () => {
    const err = await failure(deleteMirror("1:2", corrupted, context()));
    expect(err).toMatchObject({ code: "GLM_ERR_INVALID_INPUT", property: "id" });
    expect(err.message).toMatch(/"1:2" names project 1, mirror 2, but the state's outputs hold projectId 3 and mirrorId 4/);
    expect(err.message).toContain("nothing was sent");
    expect(gitlab.requests).toEqual([]);
  });

  it("read refuses and sends nothing", async () => {
    const err = await failure(readMirror("1:2", corrupted, context()));
    expect(err).toMatchObject({ code: "GLM_ERR_INVALID_INPUT", property: "id" });
    expect(gitlab.requests).toEqual([]);
  });

  it("update refuses and sends nothing", async () => {
    const err = await failure(updateMirror("1:2", corrupted, { ...corrupted, enabled: false }, context()));
    expect(err).toMatchObject({ code: "GLM_ERR_INVALID_INPUT", property: "id" });
    expect(gitlab.requests).toEqual([]);
  });

  it("outputs that agree with the id, or hold none, go ahead", async () => {
    await deleteMirror("1:2", { ...corrupted, projectId: 1, mirrorId: 2 }, context());
    const read = await readMirror("1:2", { url: URL, project: 1 }, context());
    expect(read).toMatchObject({ gone: false, id: "1:2" });
    expect(gitlab.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["DELETE /api/v4/projects/1/remote_mirrors/2", "GET /api/v4/projects/1/remote_mirrors"]);
  });
});

describe("ids past 2^53", () => {
  it.each(["1:9007199254740993", "9007199254740993:2", "1:99999999999999999999"])("%s is refused as written, and nothing is logged as gone", async (id) => {
    const err = await failure(readMirror(id, { url: URL, project: 1 }, context()));
    expect(err).toMatchObject({ code: "GLM_ERR_INVALID_INPUT", property: "id" });
    expect(err.message).toContain(`"${id}"`);
    expect(err.message).not.toContain("9007199254740992");
    expect(lines.join("\n")).not.toContain("no longer exists");
    expect(gitlab.requests).toEqual([]);
  });

  it("a huge id is quoted only in part", async () => {
    const id = `1:${"9".repeat(1_000_000)}`;
    const err = await failure(deleteMirror(id, {}, context()));
    expect(err.message.length).toBeLessThan(1_000);
    expect(err.message).toContain("1000002 characters in all");
  });
});

// Regression (issue 21, item 16): recorded hostKeys that were no list of strings crashed the read with
// `base.hostKeys.map is not a function`.
describe("a recorded state whose hostKeys are no list of strings", () => {
  it.each<[string, unknown]>([
    ["a string", "ssh-ed25519 AAAA"],
    ["an object", { 0: "ssh-ed25519 AAAA" }],
    ["a number", 7],
    ["a list holding a number", [7, null]],
  ])("%s: the read works and reports GitLab's keys", async (_title, hostKeys) => {
    gitlab.on("GET", "/projects/1/remote_mirrors", { status: 200, json: [mirrorEntity({ id: 2, host_keys: [{ fingerprint_sha256: "SHA256:abc" }] })] });
    const read = await readMirror("1:2", { url: URL, project: 1, hostKeys }, context());
    expect(read).toMatchObject({ gone: false, state: { hostKeyFingerprints: ["SHA256:abc"] } });
  });

  it("the diff reads such a state as no keys", () => {
    const { diffMirror } = jest.requireActual("../support/mirror-core");
    expect(diffMirror({ project: 1, url: URL, hostKeys: "junk" }, { project: 1, url: URL, hostKeys: [] }).changes).toBe(false);
  });
});

// Issue 21, item 17: Check accepts an imported mirror's masked URL; a create with it must not reach GitLab.
it("a create with GitLab's masked credentials is refused naming url, and sends nothing", async () => {
  const err = await failure(createMirror({ project: 1, url: "https://*****:*****@example.com/group/target.git" }, context()));
  expect(err).toMatchObject({ code: "GLM_ERR_INVALID_INPUT", property: "url" });
  expect(gitlab.requests).toEqual([]);
});
