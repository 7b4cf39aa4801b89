/**
 * A mirror URL's password that GitLab (or a proxy) quotes back must be masked in the errors of every call
 * about that mirror, not only of its create (issue 21, item 6).
 */
import type { Agent } from "undici";
import { closeAll } from "../../provider/gitlab";
import { createMirrorContext, listMirrors, MirrorContext, MirrorListCache, ProjectIdCache } from "../../provider/mirror";
import { deleteMirror, readMirror, updateMirror } from "../support/mirror-core";
import { FakeGitLab, mirrorEntity, testAgent } from "./gitlab-fake-server";

const TOKEN = "glpat-secrets-test-token";
const PASSWORD = "Stored-Pw(7&x'9";
const URL_WITH_PASSWORD = `https://bot:${PASSWORD}@example.com/group/target.git`;

let gitlab: FakeGitLab;
let agent: Agent;
const lines: string[] = [];

beforeEach(async () => {
  gitlab = await FakeGitLab.start();
  agent = testAgent();
  lines.length = 0;
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
    token: TOKEN,
    logger: { debug: log, info: log, warn: log },
    projectIds: new ProjectIdCache(),
    mirrorLists: new MirrorListCache(),
    clientOptions: { dispatcher: agent, maxRetries: 0 },
  });
}

/** Every form in which GitLab or a proxy might quote the password back. */
const ECHOES = [
  { status: 400, json: { message: { url: [`credentials bot / ${PASSWORD} were refused`] } } },
  { status: 422, text: `<p>credentials ${PASSWORD.replace(/&/g, "&amp;").replace(/'/g, "&#39;")} refused</p>`, headers: { "content-type": "text/html" } },
  { status: 409, json: { error: `conflict for ${encodeURIComponent(PASSWORD)}` } },
];

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return `${(err as Error).message}\n${JSON.stringify(err)}`;
  }
  throw new Error("expected the call to fail");
}

function expectMasked(text: string): void {
  expect(text).not.toContain("Stored-Pw");
  expect(text).toContain("*****");
}

const stored = { project: 5, url: URL_WITH_PASSWORD, projectId: 5, mirrorId: 7, enabled: true, onlyProtectedBranches: false };

describe.each(ECHOES.map((reply, index) => [index, reply] as const))("echo %i", (_index, reply) => {
  it("a failed read (GET) masks the stored password", async () => {
    gitlab.on("GET", "/projects/5/remote_mirrors", reply);
    expectMasked(await messageOf(readMirror("5:7", stored, context())));
  });

  it("a failed update (PUT) masks the password", async () => {
    gitlab.on("PUT", "/projects/5/remote_mirrors/7", reply);
    expectMasked(await messageOf(updateMirror("5:7", stored, { ...stored, enabled: false }, context())));
    expect(gitlab.seen("PUT")).toHaveLength(1);
  });

  it("a failed delete (DELETE) masks the stored password", async () => {
    gitlab.on("DELETE", "/projects/5/remote_mirrors/7", reply);
    expectMasked(await messageOf(deleteMirror("5:7", stored, context())));
    expect(gitlab.seen("DELETE")).toHaveLength(1);
  });
});

it("a read that succeeds still shows GitLab's masked URL (the secrets change only what errors show)", async () => {
  gitlab.on("GET", "/projects/5/remote_mirrors", { status: 200, json: [mirrorEntity()] });
  const result = await readMirror("5:7", stored, context());
  expect(result.gone).toBe(false);
  if (!result.gone) expect(result.state.maskedUrl).toBe("https://*****:*****@example.com/group/target.git");
});

// Regression (issue 21, item 4): getRemoteMirrors returned `https://bot:Sp(ecial-pw@…` unmasked, and an
// import's maskedUrl and lastError held it, whenever GitLab or a proxy answered unmasked.
describe("a GitLab that answers with unmasked URLs", () => {
  const unmasked = (password: string) => `https://bot:${password}@example.com/group/target.git`;
  const passwords = ["Sp(ecial-pw", "it's-pw", 'q"uote-pw', "a<b>[c]{d}-pw"];

  it.each(passwords)("getRemoteMirrors masks a password like %s in url and lastError", async (password) => {
    gitlab.on("GET", "/projects/5/remote_mirrors", {
      status: 200,
      json: [mirrorEntity({ url: unmasked(password), last_error: `push to ${unmasked(password)} failed` })],
    });
    const listed = await listMirrors(5, context());
    expect(listed.mirrors[0].url).toBe("https://*****:*****@example.com/group/target.git");
    expect(listed.mirrors[0].lastError).toBe("push to https://*****:*****@example.com/group/target.git failed");
  });

  it.each(passwords)("an import's maskedUrl and lastError mask a password like %s", async (password) => {
    gitlab.on("GET", "/projects/5/remote_mirrors", {
      status: 200,
      json: [mirrorEntity({ url: unmasked(password), last_error: `push to ${unmasked(password)} failed` })],
    });
    gitlab.on("GET", "/projects/5", { status: 200, json: { id: 5, path_with_namespace: "group/app", default_branch: "main" } });
    const read = await readMirror("5:7", {}, context());
    // url is a secret in the state; these two outputs are not.
    expect(read).toMatchObject({
      gone: false,
      state: { maskedUrl: "https://*****:*****@example.com/group/target.git", lastError: "push to https://*****:*****@example.com/group/target.git failed" },
    });
  });
});
