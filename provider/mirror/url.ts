/**
 * Mirror URL handling: the target URL carries its credentials (GitLab's push-mirror API has no separate
 * user/password fields), so everything that compares, logs or matches URLs goes through here.
 *
 * Credentials are read the way GitLab reads them (Gitlab::UrlSanitizer): the userinfo is everything
 * between "://" and the LAST "@", the user what comes before its first ":", the password the rest, and
 * both are stored exactly as written. GitLab percent-encodes them again when it pushes, so `S3cr%40t`
 * is the password "S3cr%40t", not "S3cr@t".
 */
import { urlCredentialSecrets } from "../redact";

export const MIRROR_SCHEMES = ["http", "https", "ssh", "git"] as const;
export type MirrorScheme = (typeof MIRROR_SCHEMES)[number];

export interface ParsedMirrorUrl {
  scheme: MirrorScheme;
  /** The URL without userinfo, host lowercased: what GitLab stores and compares for uniqueness. */
  credentialFree: string;
  /** The userinfo parts exactly as written (GitLab stores them so); "" when absent. */
  username: string;
  password: string;
  hostname: string;
  port: string;
}

export type UrlProblem =
  | { kind: "not_a_string" }
  | { kind: "empty" }
  | { kind: "whitespace" }
  | { kind: "scp_style"; suggestion: string }
  | { kind: "unparsable" }
  | { kind: "no_scheme" }
  | { kind: "scheme"; scheme: string }
  | { kind: "scheme_case"; scheme: string }
  | { kind: "no_host" }
  | { kind: "username"; credentialFree: string }
  | { kind: "at_after_host" };

export type UrlParseResult = { ok: true; url: ParsedMirrorUrl } | { ok: false; problem: UrlProblem };

// user@host:path with no "scheme://": git's scp-like syntax, which GitLab does not accept as a mirror URL.
// The path holds no "@": `user:token@host/path` is a URL that lost its scheme, and is never echoed.
const SCP_STYLE = /^(?:([^\s@/:]+)@)?([^\s@/:]+):(?!\/\/)([^@]+)$/;

/** Splits `scheme://userinfo@rest` at the last "@", as GitLab does; userinfo is undefined without one. */
function splitUserinfo(raw: string): { prefix: string; userinfo: string | undefined; rest: string } {
  const start = raw.indexOf("://") + 3;
  const at = raw.lastIndexOf("@");
  if (at < start) return { prefix: raw.slice(0, start), userinfo: undefined, rest: raw.slice(start) };
  return { prefix: raw.slice(0, start), userinfo: raw.slice(start, at), rest: raw.slice(at + 1) };
}

export function parseMirrorUrl(raw: unknown): UrlParseResult {
  if (typeof raw !== "string") return { ok: false, problem: { kind: "not_a_string" } };
  if (raw.length === 0) return { ok: false, problem: { kind: "empty" } };
  // WHATWG URL silently drops tabs/newlines and trims spaces; GitLab rejects multi-line URLs. Be strict.
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return { ok: false, problem: { kind: "whitespace" } };
  if (!raw.includes("://")) {
    const scp = SCP_STYLE.exec(raw);
    // Without a user, "name:text" is only taken for host:path when the text looks like a repository path
    // (a password after a user name would otherwise be echoed as the path).
    if (scp && (scp[1] !== undefined || (scp[2].includes(".") && /\/|\.git$/.test(scp[3])))) {
      const user = scp[1] === undefined ? "" : scp[1] === "git" ? "git@" : "<user>@";
      const path = scp[3].startsWith("/") ? scp[3] : `/${scp[3]}`;
      return { ok: false, problem: { kind: "scp_style", suggestion: `ssh://${user}${scp[2]}${path}` } };
    }
  }
  // Without "://" the part before the first colon is no scheme but, say, a token pasted without one:
  // never echo it.
  if (!raw.includes("://")) {
    return URL.canParse(raw) ? { ok: false, problem: { kind: "no_scheme" } } : { ok: false, problem: { kind: "unparsable" } };
  }
  const { prefix, userinfo, rest } = splitUserinfo(raw);
  // GitLab would take a path's "@" as the end of the credentials and push to whatever follows it.
  if (userinfo !== undefined && /[/?#]/.test(userinfo)) return { ok: false, problem: { kind: "at_after_host" } };
  let url: URL;
  try {
    url = new URL(prefix + rest);
  } catch {
    return { ok: false, problem: { kind: "unparsable" } };
  }
  const scheme = url.protocol.slice(0, -1);
  if (!(MIRROR_SCHEMES as readonly string[]).includes(scheme)) {
    return { ok: false, problem: { kind: "scheme", scheme } };
  }
  // GitLab compares schemes case-sensitively ("HTTPS://" is blocked); WHATWG would lowercase it silently.
  if (!raw.startsWith(`${scheme}:`)) return { ok: false, problem: { kind: "scheme_case", scheme: raw.slice(0, scheme.length) } };
  if (url.hostname === "") return { ok: false, problem: { kind: "no_host" } };
  const colon = userinfo?.indexOf(":") ?? -1;
  const parsed: ParsedMirrorUrl = {
    scheme: scheme as MirrorScheme,
    credentialFree: credentialFreeOf(url),
    username: userinfo === undefined ? "" : colon === -1 ? userinfo : userinfo.slice(0, colon),
    password: userinfo === undefined || colon === -1 ? "" : userinfo.slice(colon + 1),
    hostname: url.hostname.toLowerCase(),
    port: url.port,
  };
  // GitLab's rule: the user name starts with a Unicode letter or digit (Ruby's \p{Alnum}), checked as
  // written, so "üser" is accepted and "%41bot" starts with "%". GitLab's own mask, which an imported
  // mirror is recorded with, passes here; a create refuses it (see maskedCredentialsProblem).
  if (parsed.username !== "" && parsed.username !== MASKED_USER && !/^[\p{Alphabetic}\p{Nd}]/u.test(parsed.username)) {
    return { ok: false, problem: { kind: "username", credentialFree: parsed.credentialFree } };
  }
  return { ok: true, url: parsed };
}

/** A person-readable reason for a URL problem. Never contains the URL's credentials. */
export function describeUrlProblem(problem: UrlProblem): string {
  switch (problem.kind) {
    case "not_a_string":
      return "must be a string";
    case "empty":
      return "must not be empty";
    case "whitespace":
      return "must not contain spaces, tabs, line breaks or control characters";
    case "scp_style":
      return `scp-style addresses (user@host:path) are not URLs and GitLab rejects them; write it as ${problem.suggestion}`;
    case "unparsable":
      return "is not a valid URL (expected e.g. https://user:token@host/group/repo.git or ssh://git@host/group/repo.git)";
    case "no_scheme":
      return "has no scheme; write it as https://user:token@host/group/repo.git or ssh://git@host/group/repo.git";
    case "scheme":
      return `scheme "${problem.scheme}" is not supported; GitLab only mirrors to ${MIRROR_SCHEMES.join(", ")} URLs`;
    case "scheme_case":
      return `scheme "${problem.scheme}" must be written in lowercase (GitLab compares schemes case-sensitively)`;
    case "no_host":
      return "has no host";
    case "username":
      return `the username in ${problem.credentialFree} must start with a letter or a digit, in any script (GitLab rejects it otherwise)`;
    case "at_after_host":
      return (
        'has an "@" after its host, or a "/", "?" or "#" before its last "@": GitLab reads everything between "://" and the last "@" ' +
        'as the user and password, so it would push to another host than the one written. Write an "@" in the path as %40; ' +
        'a password holding "/", "?" or "#" cannot be given in a mirror URL'
      );
  }
}

function credentialFreeOf(url: URL): string {
  const host = url.host.toLowerCase();
  return `${url.protocol}//${host}${url.pathname}${url.search}${url.hash}`;
}

/**
 * The URL without userinfo, for comparison, adoption and log lines. Falls back to a masked form for
 * strings that do not parse, so a credential can never leak through this function.
 */
export function credentialFreeUrl(raw: string): string {
  const parsed = parseMirrorUrl(raw);
  if (parsed.ok) return parsed.url.credentialFree;
  let candidate = raw;
  try {
    const url = new URL(raw);
    if (url.host !== "") candidate = credentialFreeOf(url);
  } catch {
    // fall through to masking below
  }
  // Whatever did not parse into an authority may still hold "user:secret@": mask it.
  return candidate.replace(/^([A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?)?[^/]*@/, (_m, scheme: string | undefined) => `${scheme ?? ""}*****@`);
}

/**
 * Credential-free form of the URL GitLab returns (already masked, e.g. `https://*****:*****@host/p.git`),
 * or null when GitLab returned null (a URL Ruby could not parse).
 */
export function credentialFreeMaskedUrl(masked: string | null): string | null {
  return masked === null ? null : credentialFreeUrl(masked);
}

/** True when both URLs point at the same target (scheme, host, port, path) and carry the same credentials. */
export function sameMirrorUrl(a: string, b: string): { sameTarget: boolean; sameCredentials: boolean } {
  // The usual case (every Diff of an unchanged mirror), without parsing both.
  if (a === b) return { sameTarget: true, sameCredentials: true };
  const pa = parseMirrorUrl(a);
  const pb = parseMirrorUrl(b);
  if (!pa.ok || !pb.ok) return { sameTarget: a === b, sameCredentials: a === b };
  return {
    sameTarget: pa.url.credentialFree === pb.url.credentialFree,
    sameCredentials: pa.url.username === pb.url.username && pa.url.password === pb.url.password,
  };
}

/**
 * The password (or token-only username) in a URL, as written and decoded: secrets to scrub from any
 * text we show. `https://<token>@host` puts the token in the username; GitLab masks every user but "git".
 */
export function urlSecrets(raw: string): string[] {
  return urlCredentialSecrets(raw);
}

/** Whether GitLab would push to this URL over SSH (and so use a mirror's SSH key and host keys). */
export function isSshUrl(raw: string): boolean {
  const parsed = parseMirrorUrl(raw);
  return parsed.ok && parsed.url.scheme === "ssh";
}

/** How GitLab shows every user name but `git` in a mirror's URL. */
export const MASKED_USER = "*****";

/**
 * Why a URL cannot be used to create a mirror although Check accepts it: its credentials are GitLab's mask
 * (an imported mirror's recorded URL), not credentials GitLab could push with. Null when it has real ones.
 */
export function maskedCredentialsProblem(raw: string): string | null {
  return hasMaskedCredentials(raw)
    ? "holds GitLab's mask (*****) where the credentials go, as an import records it; a new mirror needs the real ones: declare url with the user and password or token GitLab should push with"
    : null;
}

/**
 * Whether the URL's credentials are GitLab's mask (`https://*****:*****@host/…`, `ssh://git:*****@…`): the
 * URL an imported mirror is recorded with, since GitLab never returns the real ones.
 */
export function hasMaskedCredentials(raw: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:\*{5}|git)(?::\*{5})?@/.test(raw) && !/^[a-z][a-z0-9+.-]*:\/\/git@/.test(raw);
}
