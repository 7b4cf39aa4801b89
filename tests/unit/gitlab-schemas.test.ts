import { flattenGitLabMessage, gitlabMessageOf } from "../../provider/gitlab/error-body";
import {
  describeIssues,
  projectPayload,
  remoteMirrorPayload,
  toMirrorRequestBody,
  toProject,
  toRemoteMirror,
} from "../../provider/gitlab/schemas";
import { mirrorEntity } from "./gitlab-fake-server";

describe("remote mirror payload -> RemoteMirror", () => {
  it("maps GitLab's nulls as nulls (a mirror that never ran)", () => {
    const payload = remoteMirrorPayload.parse(
      mirrorEntity({ enabled: false, update_status: "none", last_update_at: null, last_update_started_at: null, last_successful_update_at: null, keep_divergent_refs: null }),
    );
    expect(toRemoteMirror(payload)).toMatchObject({
      enabled: false,
      updateStatus: "none",
      lastUpdateAt: null,
      lastUpdateStartedAt: null,
      lastSuccessfulUpdateAt: null,
      lastError: null,
      keepDivergentRefs: null,
      mirrorBranchRegex: null,
    });
  });

  it("CE: no mirror_branch_regex key means the property is absent, not null", () => {
    const { mirror_branch_regex: _absent, ...ce } = mirrorEntity();
    const mirror = toRemoteMirror(remoteMirrorPayload.parse(ce));
    expect(Object.keys(mirror)).not.toContain("mirrorBranchRegex");
  });

  it("older GitLab without auth_method, host_keys or keep_divergent_refs gets GitLab's own defaults", () => {
    const { auth_method: _a, host_keys: _h, keep_divergent_refs: _k, ...old } = mirrorEntity();
    expect(toRemoteMirror(remoteMirrorPayload.parse(old))).toMatchObject({ authMethod: "password", hostKeys: [], keepDivergentRefs: null });
  });

  it("maps host key fingerprints in order", () => {
    const payload = remoteMirrorPayload.parse(mirrorEntity({ host_keys: [{ fingerprint_sha256: "SHA256:a" }, { fingerprint_sha256: "SHA256:b" }] }));
    expect(toRemoteMirror(payload).hostKeys).toEqual([{ fingerprintSha256: "SHA256:a" }, { fingerprintSha256: "SHA256:b" }]);
  });

  it("tolerates unknown extra fields and drops them", () => {
    const mirror = toRemoteMirror(remoteMirrorPayload.parse(mirrorEntity({ resolved_address: "1.2.3.4" })));
    expect(Object.keys(mirror)).not.toContain("resolved_address");
    expect(Object.keys(mirror)).not.toContain("resolvedAddress");
  });

  it("a payload of the wrong shape yields readable issues with paths", () => {
    const result = remoteMirrorPayload.safeParse(mirrorEntity({ id: "7", only_protected_branches: null }));
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(describeIssues(result.error)).toEqual([
        "id: Invalid input: expected number, received string",
        "only_protected_branches: Invalid input: expected boolean, received null",
      ]);
    }
  });
});

describe("project payload -> Project", () => {
  it.each<[Record<string, unknown>, ReturnType<typeof toProject>]>([
    [{ id: 1, path_with_namespace: "g/a", default_branch: "main" }, { id: 1, pathWithNamespace: "g/a", defaultBranch: "main" }],
    [{ id: 1, path_with_namespace: "g/a", default_branch: null }, { id: 1, pathWithNamespace: "g/a", defaultBranch: null }],
    [{ id: 1, path_with_namespace: "g/a" }, { id: 1, pathWithNamespace: "g/a", defaultBranch: null }],
  ])("%j", (payload, expected) => {
    expect(toProject(projectPayload.parse(payload))).toEqual(expected);
  });
});

describe("toMirrorRequestBody", () => {
  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ url: "https://h/x" }, { url: "https://h/x" }],
    [
      { url: "ssh://git@h/x", enabled: true, authMethod: "ssh_public_key", onlyProtectedBranches: false, keepDivergentRefs: true, mirrorBranchRegex: "main", hostKeys: ["h ssh-ed25519 AAAA"] },
      { url: "ssh://git@h/x", enabled: true, auth_method: "ssh_public_key", only_protected_branches: false, keep_divergent_refs: true, mirror_branch_regex: "main", host_keys: ["h ssh-ed25519 AAAA"] },
    ],
    [{ enabled: false }, { enabled: false }],
    [{ mirrorBranchRegex: null }, { mirror_branch_regex: null }],
    [{ enabled: undefined, keepDivergentRefs: false }, { keep_divergent_refs: false }],
    [{ hostKeys: [] }, { host_keys: [] }],
    [{}, {}],
    [{ somethingElse: 1 }, {}],
  ])("%j -> %j", (attrs, expected) => {
    expect(toMirrorRequestBody(attrs as never)).toEqual(expected);
  });
});

describe("flattenGitLabMessage", () => {
  it.each<[unknown, string]>([
    [{ message: "404 Not found" }, "404 Not found"],
    [{ message: { url: ["is blocked: Only allowed schemes are http, https, ssh, git"] } }, "url is blocked: Only allowed schemes are http, https, ssh, git"],
    [{ message: { url: ["can't be blank", "is invalid"], only_protected_branches: ["can't be blank"] } }, "url can't be blank; url is invalid; only_protected_branches can't be blank"],
    [{ message: { base: ["You cannot mirror a repository to itself."] } }, "You cannot mirror a repository to itself."],
    [{ message: { error: "too many requests" } }, "error too many requests"],
    [{ error: "url is missing" }, "url is missing"],
    [{ error: "invalid_token", error_description: "Token is expired. You can either do re-authorization or token refresh." }, "invalid_token: Token is expired. You can either do re-authorization or token refresh."],
    ["Retry later\n", "Retry later"],
    ["", ""],
    [null, ""],
    [{ unexpected: true }, '{"unexpected":true}'],
    [["a"], '["a"]'],
  ])("%j -> %j", (body, expected) => {
    expect(flattenGitLabMessage(body)).toBe(expected);
  });
});

describe("gitlabMessageOf", () => {
  it("cuts the message to 500 characters", () => {
    expect(gitlabMessageOf("x".repeat(600), [])).toBe(`${"x".repeat(500)}…`);
  });

  it("masks the known secrets and URL credentials", () => {
    expect(gitlabMessageOf({ message: "credentials bot / MirrorPw-99x were refused at https://bot:other@h/x" }, ["MirrorPw-99x"])).toBe(
      "credentials bot / ***** were refused at https://*****:*****@h/x",
    );
  });

  it("masks a secret however far into a long body it comes, and never shows half of one", () => {
    const secret = "MirrorPw-99x";
    const long = `${"a ".repeat(2_000)}https://bot:${"p".repeat(3_000)}@h/x ${"b ".repeat(5_000)}${secret}`;
    const shown = gitlabMessageOf(long, [secret]);
    expect(shown.length).toBeLessThanOrEqual(501);
    expect(shown).not.toContain("pp");
    expect(gitlabMessageOf(`${"a".repeat(10_000)} ${secret}`, [secret])).not.toContain(secret);
    // Masking a long password pulls what follows forward; a URL cut at the edge of the masked window
    // would then show its password's first characters, unless its unterminated userinfo is dropped.
    const cut = `https://bot:${"p".repeat(4_000)}@h/x https://bot:${"q".repeat(3_000)}@h/y`;
    expect(gitlabMessageOf(cut, [])).toBe("https://*****:*****@h/x https://…");
  });
});
