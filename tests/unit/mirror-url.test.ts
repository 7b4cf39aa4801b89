import { titledByFirstCell } from "../support/titles";
import {
  credentialFreeMaskedUrl,
  credentialFreeUrl,
  describeUrlProblem,
  parseMirrorUrl,
  sameMirrorUrl,
  urlSecrets,
} from "../../provider/mirror/url";

describe("mirror URL parsing", () => {
  it("splits a URL into its credential-free form and its credentials", () => {
    const parsed = parseMirrorUrl("https://bot:s3cret@Git.Example.com:8443/group/app.git");
    expect(parsed).toEqual({
      ok: true,
      url: {
        scheme: "https",
        credentialFree: "https://git.example.com:8443/group/app.git",
        username: "bot",
        password: "s3cret",
        hostname: "git.example.com",
        port: "8443",
      },
    });
  });

  it.each(titledByFirstCell([
    ["https://user:pass@host.example/p.git", "https://host.example/p.git"],
    ["https://glpat-token@host.example/p.git", "https://host.example/p.git"],
    ["https://:token@host.example/p.git", "https://host.example/p.git"],
    ["ssh://git@Host.Example:2222/p.git", "ssh://host.example:2222/p.git"],
    ["https://host.example:443/p.git", "https://host.example/p.git"],
    ["git://host.example/p.git", "git://host.example/p.git"],
  ]))("credential-free URL of %s", (_title, raw, expected) => {
    expect(credentialFreeUrl(raw)).toBe(expected);
  });

  it.each([
    ["https://*****:*****@host.example/p.git", "https://host.example/p.git"],
    ["https://*****@host.example/p.git", "https://host.example/p.git"],
    ["ssh://git@host.example/p.git", "ssh://host.example/p.git"],
    ["https://git:*****@host.example/p.git", "https://host.example/p.git"],
  ])("GitLab's masked URL %s matches the credential-free %s", (masked, expected) => {
    expect(credentialFreeMaskedUrl(masked)).toBe(expected);
  });

  it("keeps null for a URL GitLab could not mask", () => {
    expect(credentialFreeMaskedUrl(null)).toBeNull();
  });

  it("never leaks credentials from a string that does not parse", () => {
    expect(credentialFreeUrl("weird://user:pa ss@host/x")).not.toContain("pa ss");
    expect(credentialFreeUrl("user:hunter2@host")).not.toContain("hunter2");
  });

  it.each(titledByFirstCell<[string, string, { sameTarget: boolean; sameCredentials: boolean }]>([
    ["https://a:old@h.example/p.git", "https://a:new@h.example/p.git", { sameTarget: true, sameCredentials: false }],
    ["https://a:tok@h.example/p.git", "https://b:tok@h.example/p.git", { sameTarget: true, sameCredentials: false }],
    ["https://a:tok@h.example/p.git", "https://a:tok@H.EXAMPLE/p.git", { sameTarget: true, sameCredentials: true }],
    ["https://a:tok@h.example/p.git", "https://a:tok@h.example/q.git", { sameTarget: false, sameCredentials: true }],
    ["https://h.example/p.git", "http://h.example/p.git", { sameTarget: false, sameCredentials: true }],
    ["ssh://git@h.example/p.git", "ssh://git@h.example:2222/p.git", { sameTarget: false, sameCredentials: true }],
  ]))("compares %s with the second URL (row %#)", (_title, a, b, expected) => {
    expect(sameMirrorUrl(a, b)).toEqual(expected);
  });

  it("lists the password and a token-only username as secrets, but not the git user", () => {
    expect(urlSecrets("https://bot:p%40ss@h.example/p.git")).toEqual(["p%40ss", "p@ss"]);
    expect(urlSecrets("https://glpat-abc@h.example/p.git")).toEqual(["glpat-abc"]);
    expect(urlSecrets("ssh://git@h.example/p.git")).toEqual([]);
  });

  it.each(titledByFirstCell([
    ["git@gitlab.example.com:group/app.git", "scp-style addresses (user@host:path) are not URLs and GitLab rejects them; write it as ssh://git@gitlab.example.com/group/app.git"],
    ["deploy@host.example:app.git", "scp-style addresses (user@host:path) are not URLs and GitLab rejects them; write it as ssh://<user>@host.example/app.git"],
    ["ftp://host.example/p.git", 'scheme "ftp" is not supported; GitLab only mirrors to http, https, ssh, git URLs'],
    ["HTTPS://host.example/p.git", 'scheme "HTTPS" must be written in lowercase (GitLab compares schemes case-sensitively)'],
    ["https://host.example/p.git\nsecond", "must not contain spaces, tabs, line breaks or control characters"],
    ["not a url", "must not contain spaces, tabs, line breaks or control characters"],
    ["nonsense", "is not a valid URL (expected e.g. https://user:token@host/group/repo.git or ssh://git@host/group/repo.git)"],
    ["ssh:///p.git", "has no host"],
    // Regression (review): the token was echoed as the "scheme" of a URL pasted without one.
    ["glpat-hunter2:x@gitlab.example.com/g/p.git", "has no scheme; write it as https://user:token@host/group/repo.git or ssh://git@host/group/repo.git"],
    ["https://-bot:hunter2@host.example/p.git", "the username in https://host.example/p.git must start with a letter or a digit (GitLab rejects it otherwise)"],
  ]))("rejects %s", (_title, raw, reason) => {
    const parsed = parseMirrorUrl(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(describeUrlProblem(parsed.problem)).toBe(reason);
      expect(describeUrlProblem(parsed.problem)).not.toContain("hunter2");
    }
  });
});
