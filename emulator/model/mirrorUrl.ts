/**
 * Mirror URLs as GitLab handles them: credentials split off into `credentials`
 * (RemoteMirror#url=), masking for responses (SafeUrl, `git` user kept), and the URL blocker's
 * validation (Gitlab::HTTP_V2::UrlBlocker via PublicUrlValidator).
 */
import * as net from "node:net";
import * as os from "node:os";
import type { MirrorCredentials } from "./types";

export const VALID_MIRROR_SCHEMES = ["http", "https", "ssh", "git"] as const;
const MASK = "*****";

export interface SplitUrl {
  /** URL without userinfo. */
  url: string;
  user?: string;
  password?: string;
}

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(?:(.*)@)?(.*)$/s;

/**
 * Strips userinfo off a URL whose scheme is one GitLab mirrors. The userinfo match is greedy up
 * to the last `@`, and credentials are kept verbatim (not percent-decoded), as GitLab does.
 * Other strings are returned unchanged (and fail validation later).
 */
export function splitCredentials(raw: string): SplitUrl {
  const value = raw.trim();
  const match = URL_PARTS.exec(value);
  if (!match) return { url: value };
  const scheme = match[1].slice(0, -3);
  if (!(VALID_MIRROR_SCHEMES as readonly string[]).includes(scheme.toLowerCase())) return { url: value };
  if (match[2] === undefined) return { url: value };
  const userinfo = match[2];
  const colon = userinfo.indexOf(":");
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = colon < 0 ? undefined : userinfo.slice(colon + 1);
  return { url: match[1] + match[3], user: user || undefined, password: password || undefined };
}

/** CGI.escape-like encoding GitLab applies when it rebuilds the full URL (space as %20). */
function escapeUserinfo(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function withUserinfo(url: string, user: string | undefined, password: string | undefined): string {
  if (user === undefined && password === undefined) return url;
  const match = URL_PARTS.exec(url);
  if (!match) return url;
  const info = password === undefined ? `${user ?? ""}` : `${user ?? ""}:${password}`;
  return `${match[1]}${info}@${match[3]}`;
}

/** The URL with credentials, percent-encoded, as GitLab's `url` reader rebuilds it. */
export function fullUrl(url: string, credentials: MirrorCredentials): string {
  return withUserinfo(
    url,
    credentials.user === undefined ? undefined : escapeUserinfo(credentials.user),
    credentials.password === undefined ? undefined : escapeUserinfo(credentials.password),
  );
}

/** `safe_url`: user masked unless it is `git`, password masked; null when the URL does not parse. */
export function maskedUrl(url: string, credentials: MirrorCredentials): string | null {
  try {
    new URL(url);
  } catch {
    return null;
  }
  const user = credentials.user === undefined ? (credentials.password === undefined ? undefined : MASK) : credentials.user === "git" ? "git" : MASK;
  const password = credentials.password === undefined ? undefined : MASK;
  return withUserinfo(url, user, password);
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
  if (/[\r\n]/.test(value)) return "URI is invalid";
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return "URI is invalid";
  }
  const rawScheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1] ?? "";
  // Compared case-sensitively, so HTTPS:// is refused.
  if (!(VALID_MIRROR_SCHEMES as readonly string[]).includes(rawScheme)) {
    return `Only allowed schemes are ${VALID_MIRROR_SCHEMES.join(", ")}`;
  }
  const user = splitCredentials(value).user;
  if (user !== undefined && !/^[\p{L}\p{N}]/u.test(user)) return "Username needs to start with an alphanumeric character";
  const hostname = parsed.hostname.replace(/^\[|\]$/g, "");
  if (hostname === "" || !/^[\p{L}\p{N}:]/u.test(hostname)) return "Hostname or IP address invalid";
  if (hostname.length > 1024) return "Host is too long (maximum is 1024 characters)";
  if (policy.allowLocalRequests) return undefined;
  return localAddressReason(hostname);
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inV4(ip: string, base: string, bits: number): boolean {
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

/** Why the emulator will not push to this URL: any host but loopback, unless remote pushes are allowed. */
export function remotePushReason(url: string, allowRemotePushes: boolean): string | undefined {
  if (allowRemotePushes) return undefined;
  let host: string;
  try {
    host = new URL(url.trim()).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return undefined; // blockReason reports unparsable URLs
  }
  const ip = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1] ?? host;
  const loopback =
    host === "localhost" || host.endsWith(".localhost") || ip === "::1" || (net.isIPv4(ip) && inV4(ip, "127.0.0.0", 8));
  return loopback
    ? undefined
    : `the emulator pushes only to loopback targets (127.0.0.0/8, ::1, localhost); ${host} was not contacted. Set settings.allowRemotePushes to true in the seed to push elsewhere`;
}

export interface SelfLocation {
  /** Host names under which the emulator serves its projects. */
  hosts: string[];
  httpPort: number;
  projectPath: string;
}

/** `You cannot mirror a repository to itself.`: the URL points at the project's own repository. */
export function isSelfMirror(url: string, self: SelfLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return false;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (!self.hosts.map((h) => h.toLowerCase()).includes(host)) return false;
  const scheme = parsed.protocol.replace(/:$/, "");
  if (scheme === "http" || scheme === "https") {
    const port = parsed.port === "" ? (scheme === "https" ? 443 : 80) : Number(parsed.port);
    if (port !== self.httpPort) return false;
  } else if (scheme !== "ssh") {
    return false;
  }
  const repoPath = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, "").replace(/\.git$/, "");
  return repoPath.toLowerCase() === self.projectPath.toLowerCase();
}
