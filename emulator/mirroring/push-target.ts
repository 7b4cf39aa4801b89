/**
 * The remote git is given for a mirror, built here from the parsed URL and nowhere else: always
 * `scheme://host[:port]/path`, never scp-style, never with a password in it. Unless the seed sets
 * `allowRemotePushes`, the host must be a literal loopback address or `localhost`, which is
 * replaced by 127.0.0.1 so that no name is ever resolved (`name.localhost`, `127.1` and other
 * spellings a resolver would turn into anything are refused).
 */
import * as net from "node:net";
import { inV4, parseMirrorUrl, type MirrorScheme } from "../model/mirror-url";

export interface PushTarget {
  scheme: MirrorScheme;
  /** What git receives as the remote: no password, an ssh user only. */
  remote: string;
}

export type PushTargetResult = { ok: true; target: PushTarget } | { ok: false; reason: string };

/** The literal address to connect to when `host` is loopback, else undefined. */
export function loopbackAddress(host: string, ipv6: boolean): string | undefined {
  const lower = host.toLowerCase();
  if (!ipv6) {
    if (lower === "localhost") return "127.0.0.1";
    return net.isIPv4(host) && inV4(host, "127.0.0.0", 8) ? host : undefined;
  }
  if (lower === "::1") return "[::1]";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  return mapped && net.isIPv4(mapped) && inV4(mapped, "127.0.0.0", 8) ? `[${lower}]` : undefined;
}

/**
 * The remote for a stored (credential-free) mirror URL. `sshUser` goes into ssh remotes only,
 * percent-encoded; HTTP credentials travel outside the URL (see the pusher).
 */
export function pushTarget(storedUrl: string, sshUser: string | undefined, allowRemotePushes: boolean): PushTargetResult {
  const parsed = parseMirrorUrl(storedUrl);
  if (!parsed.ok) return { ok: false, reason: `The remote mirror URL is invalid: ${parsed.reason}` };
  const { scheme, host, ipv6, port, path } = parsed.value;
  let address = ipv6 ? `[${host}]` : host;
  if (!allowRemotePushes) {
    const loopback = loopbackAddress(host, ipv6);
    if (loopback === undefined) {
      return {
        ok: false,
        reason: `the emulator pushes only to loopback targets (127.0.0.0/8, ::1, localhost); ${host} was not contacted. Set settings.allowRemotePushes to true in the seed to push elsewhere`,
      };
    }
    address = loopback;
  }
  const userinfo = scheme === "ssh" && sshUser ? `${encodeUserinfo(sshUser)}@` : "";
  const remote = `${scheme}://${userinfo}${address}${port === undefined ? "" : `:${port}`}${path.startsWith("/") ? path : `/${path}`}`;
  return { ok: true, target: { scheme, remote } };
}

function encodeUserinfo(value: string): string {
  return Buffer.from(value, "utf8")
    .toString("latin1")
    .replace(/[^A-Za-z0-9_.~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}
