/**
 * createMirror after a POST whose outcome is unknown: it looks for the mirror its request made and
 * takes only that one, never a mirror that may belong to someone else.
 */
import { MirrorListCache } from "../../provider/mirror/mirror-lists";
import { GitLabMirrorsError, NetworkError } from "../../provider/errors";
import type { GitLabClient, RemoteMirror } from "../../provider/gitlab";
import { MirrorContext, ProjectIdCache } from "../../provider/mirror";
import { createMirror } from "../support/mirror-core";

const URL_INPUT = "https://bot:target-secret@git.example.com/backup/app.git";
const MASKED = "https://*****:*****@git.example.com/backup/app.git";
const CALL = { method: "POST", route: "/projects/:id/remote_mirrors", path: "/projects/1/remote_mirrors" };

function mirror(id: number, overrides: Partial<RemoteMirror> = {}): RemoteMirror {
  return {
    id,
    enabled: true,
    url: MASKED,
    updateStatus: "none",
    lastUpdateAt: null,
    lastUpdateStartedAt: null,
    lastSuccessfulUpdateAt: null,
    lastError: null,
    // As our POST made it: the safe defaults.
    onlyProtectedBranches: true,
    keepDivergentRefs: true,
    authMethod: "password",
    hostKeys: [],
    ...overrides,
  };
}

/** A GitLab whose POST fails with `failure` and whose list answers `existing`; records the calls. */
function gitlab(failure: GitLabMirrorsError, existing: RemoteMirror[]) {
  const calls: string[] = [];
  const remoteMirrors = {
    create: async () => {
      calls.push("POST");
      throw failure;
    },
    list: async () => {
      calls.push("LIST");
      return existing;
    },
  };
  const ctx: MirrorContext = {
    client: { apiUrl: "https://gitlab.example.com/api/v4", projects: {}, remoteMirrors, withSecrets() { return this; } } as unknown as GitLabClient,
    token: "glpat-recovery-token",
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined },
    projectIds: new ProjectIdCache(),
    mirrorLists: new MirrorListCache(),
    sleep: async () => undefined,
    now: () => 0,
    pollIntervalMs: 1,
  };
  return { ctx, calls };
}

const ORIGIN = "https://gitlab.example.com";
const reset = new NetworkError({ ...CALL, origin: ORIGIN, reason: "connection reset (ECONNRESET)", sent: true });

describe("createMirror after an ambiguous failure", () => {
  it("takes the one unused mirror with the URL, with a single POST", async () => {
    const { ctx, calls } = gitlab(reset, [mirror(3, { url: "https://other.example.com/x.git" }), mirror(9)]);
    const created = await createMirror({ project: 1, url: URL_INPUT }, ctx);
    expect(created.id).toBe("1:9");
    expect(calls).toEqual(["POST", "LIST"]);
  });

  it.each([
    ["a mirror with the URL that has already run", [mirror(9, { updateStatus: "finished", lastUpdateStartedAt: "2026-01-01T00:00:00Z" })]],
    ["two unused mirrors with the URL", [mirror(8), mirror(9)]],
    ["no mirror with the URL", [mirror(3, { url: "https://other.example.com/x.git" })]],
  ])("takes nothing when it finds %s, and throws the original failure", async (_title, existing) => {
    const { ctx, calls } = gitlab(reset, existing);
    await expect(createMirror({ project: 1, url: URL_INPUT }, ctx)).rejects.toBe(reset);
    expect(calls).toEqual(["POST", "LIST"]);
  });

  it.each(["connection refused (ECONNREFUSED)", "host not found (ENOTFOUND)", "the TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)"])(
    "does not look when the request was never sent (%s)",
    async (reason) => {
      const refused = new NetworkError({ ...CALL, origin: ORIGIN, reason, sent: false });
      const { ctx, calls } = gitlab(refused, [mirror(9)]);
      await expect(createMirror({ project: 1, url: URL_INPUT }, ctx)).rejects.toBe(refused);
      expect(calls).toEqual(["POST"]);
    },
  );
});
