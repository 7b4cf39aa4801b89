/**
 * Mirror URLs as GitLab handles them, all from one parse (`parseMirrorUrl`): credentials split off
 * into `credentials` (RemoteMirror#url=), masking for responses (SafeUrl, `git` user kept), and the
 * URL blocker's validation (Gitlab::HTTP_V2::UrlBlocker via PublicUrlValidator). The same parse
 * gives the mirroring code the host it checks and the parts it builds git's remote from.
 */
import * as net from "node:net";
import * as os from "node:os";
import type { MirrorCredentials } from "./types";

export const VALID_MIRROR_SCHEMES = ["http", "https", "ssh", "git"] as const;
export type MirrorScheme = (typeof VALID_MIRROR_SCHEMES)[number];
const MASK = "*****";
const INVALID = "URI is invalid";

export interface MirrorUrl {
  scheme: MirrorScheme;
  /** Verbatim, as typed: GitLab neither decodes nor re-encodes them until it rebuilds the URL. */
  user?: string;
  password?: string;
  /** As written; an IPv6 address without its brackets. */
  host: string;
  ipv6: boolean;
  /** The port as written (digits), or undefined. */
  port?: string;
  /** Path, query and fragment as written: empty, or starting with `/`, `?` or `#`. */
  path: string;
  /** Without credentials: what GitLab keeps in the `url` column. */
  url: string;
}

export type ParsedMirrorUrl = { ok: true; value: MirrorUrl } | { ok: false; reason: string };

/** RFC 3986 reg-name characters, plus letters and digits of any script (IDN hosts). */
const REG_NAME = /^[\p{L}\p{N}\-._~%!$&'()*+,;=]*$/u;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Splits `scheme://[userinfo@]host[:port][path]`. Userinfo runs to the last `@` of the string, as
 * GitLab's UrlSanitizer reads it. Anything without `//` after the scheme is refused: git would read
 * `https:user:pw@host/x` or `http:127.0.0.1/x` as scp-style `host:path` and run ssh.
 */
export function parseMirrorUrl(raw: string): ParsedMirrorUrl {
  const value = raw.trim();
  if (CONTROL.test(value)) return { ok: false, reason: INVALID };
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value);
  if (!schemeMatch) return { ok: false, reason: INVALID };
  // Compared case-sensitively, so HTTPS:// is refused.
  const scheme = schemeMatch[1];
  if (!(VALID_MIRROR_SCHEMES as readonly string[]).includes(scheme)) {
    return { ok: false, reason: `Only allowed schemes are ${VALID_MIRROR_SCHEMES.join(", ")}` };
  }
  const afterScheme = value.slice(scheme.length + 1);
  if (!afterScheme.startsWith("//")) return { ok: false, reason: INVALID };
  let rest = afterScheme.slice(2);
  let user: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(":");
    user = (colon < 0 ? userinfo : userinfo.slice(0, colon)) || undefined;
    password = (colon < 0 ? "" : userinfo.slice(colon + 1)) || undefined;
  }
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const path = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  const hostPort = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d*))?$/u.exec(authority);
  if (!hostPort) return { ok: false, reason: INVALID };
  const ipv6 = hostPort[1] !== undefined;
  const host = ipv6 ? hostPort[1] : hostPort[2];
  if (ipv6 ? !net.isIPv6(host) : !REG_NAME.test(host)) return { ok: false, reason: INVALID };
  const port = hostPort[3] || undefined;
  if (port !== undefined && Number(port) > 65535) return { ok: false, reason: INVALID };
  const url = `${scheme}://${authority}${path}`;
  return { ok: true, value: { scheme: scheme as MirrorScheme, user, password, host, ipv6, port, path, url } };
}

export interface SplitUrl {
  /** URL without userinfo. */
  url: string;
  user?: string;
  password?: string;
}

/** RemoteMirror#url=: credentials off a URL that parses; anything else is kept as typed (and fails validation). */
export function splitCredentials(raw: string): SplitUrl {
  const parsed = parseMirrorUrl(raw);
  if (!parsed.ok) return { url: raw.trim() };
  const { url, user, password } = parsed.value;
  return { url, user, password };
}

/** CGI.escape-like encoding GitLab applies when it rebuilds the full URL (space as %20). */
function escapeUserinfo(value: string): string {
  return Buffer.from(value, "utf8")
    .toString("latin1")
    .replace(/[^A-Za-z0-9_.~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

function withUserinfo(url: MirrorUrl, user: string | undefined, password: string | undefined): string {
  if (user === undefined && password === undefined) return url.url;
  const info = password === undefined ? `${user ?? ""}` : `${user ?? ""}:${password}`;
  return `${url.scheme}://${info}@${url.url.slice(url.scheme.length + 3)}`;
}

/** The URL with credentials, percent-encoded, as GitLab's `url` reader rebuilds it. */
export function fullUrl(url: string, credentials: MirrorCredentials): string {
  const parsed = parseMirrorUrl(url);
  if (!parsed.ok) return url;
  return withUserinfo(
    parsed.value,
    credentials.user === undefined ? undefined : escapeUserinfo(credentials.user),
    credentials.password === undefined ? undefined : escapeUserinfo(credentials.password),
  );
}

/** `safe_url`: user masked unless it is `git`, password masked; null when the URL does not parse. */
export function maskedUrl(url: string, credentials: MirrorCredentials): string | null {
  const parsed = parseMirrorUrl(url);
  if (!parsed.ok) return null;
  const user = credentials.user === undefined ? (credentials.password === undefined ? undefined : MASK) : credentials.user === "git" ? "git" : MASK;
  const password = credentials.password === undefined ? undefined : MASK;
  return withUserinfo(parsed.value, user, password);
}

export interface UrlPolicy {
  allowLocalRequests: boolean;
}

/** Returns GitLab's validation messages for the `url` attribute (empty when valid). */
export function validateMirrorUrl(raw: string, policy: UrlPolicy): string[] {
  const value = raw.trim();
  if (value === "") return ["can't be blank"];
  const blocked = blockReason(value, policy);
  return blocked ? [`is blocked: ${blocked}`] : [];
}

/** The UrlBlocker's reason for refusing a URL (credentials included), or undefined. */
export function blockReason(value: string, policy: UrlPolicy): string | undefined {
  const parsed = parseMirrorUrl(value);
  if (!parsed.ok) return parsed.reason;
  const { user, host } = parsed.value;
  if (user !== undefined && !/^[\p{L}\p{N}]/u.test(user)) return "Username needs to start with an alphanumeric character";
  if (host === "" || !/^[\p{L}\p{N}:]/u.test(host)) return "Hostname or IP address invalid";
  if (host.length > 1024) return "Host is too long (maximum is 1024 characters)";
  if (policy.allowLocalRequests) return undefined;
  return localAddressReason(host);
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function inV4(ip: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipv4ToInt(ip) & mask) >>> 0) === ((ipv4ToInt(base) & mask) >>> 0);
}

function serverAddresses(): Set<string> {
  const addresses = new Set<string>(["0.0.0.0", "::", "127.0.0.1", "::1"]);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) addresses.add(info.address.toLowerCase());
  }
  return addresses;
}

/**
 * Classifies literal addresses (and `localhost`) the way the UrlBlocker does, in its order.
 * Host names are not resolved: the emulator never sends DNS queries.
 */
export function localAddressReason(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return "Requests to localhost are not allowed";
  let ip = host;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
  if (mapped) ip = mapped[1];
  const family = net.isIP(ip);
  if (family === 0) return undefined;
  if (serverAddresses().has(ip)) return "Requests to localhost are not allowed";
  if (family === 4) {
    if (inV4(ip, "127.0.0.0", 8)) return "Requests to loopback addresses are not allowed";
    if (inV4(ip, "10.0.0.0", 8) || inV4(ip, "172.16.0.0", 12) || inV4(ip, "192.168.0.0", 16)) {
      return "Requests to the local network are not allowed";
    }
    if (inV4(ip, "169.254.0.0", 16)) return "Requests to the link local network are not allowed";
    if (inV4(ip, "100.64.0.0", 10)) return "Requests to the shared address space are not allowed";
    if (ip === "255.255.255.255") return "Requests to the limited broadcast address are not allowed";
    return undefined;
  }
  const first = parseInt(ip.split(":")[0] || "0", 16);
  if ((first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfec0) return "Requests to the local network are not allowed";
  if ((first & 0xffc0) === 0xfe80) return "Requests to the link local network are not allowed";
  return undefined;
}

export interface SelfLocation {
  /** Host names under which the emulator serves its projects. */
  hosts: string[];
  httpPort: number;
  projectPath: string;
}

/** Percent-decoding that leaves a path with invalid escapes (`%zz`, `%ff`) as it is instead of throwing. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Leading and trailing slashes off, in linear time (`/\/+$/` is quadratic on a run of slashes). */
export function trimSlashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === "/") start += 1;
  while (end > start && text[end - 1] === "/") end -= 1;
  return text.slice(start, end);
}

/** `You cannot mirror a repository to itself.`: the URL points at the project's own repository. */
export function isSelfMirror(url: string, self: SelfLocation): boolean {
  const parsed = parseMirrorUrl(url);
  if (!parsed.ok) return false;
  const { scheme, host, port, path } = parsed.value;
  if (!self.hosts.map((h) => h.toLowerCase()).includes(host.toLowerCase())) return false;
  if (scheme === "http" || scheme === "https") {
    const effectivePort = port === undefined ? (scheme === "https" ? 443 : 80) : Number(port);
    if (effectivePort !== self.httpPort) return false;
  } else if (scheme !== "ssh") {
    return false;
  }
  const repoPath = trimSlashes(decodedPath(path.replace(/[?#].*$/s, ""))).replace(/\.git$/, "");
  return repoPath.toLowerCase() === self.projectPath.toLowerCase();
}
