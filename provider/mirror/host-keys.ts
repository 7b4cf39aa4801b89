import { createHash } from "node:crypto";

/**
 * SSH host keys as GitLab accepts them in `host_keys`: a known_hosts line (`host keytype base64 [comment]`)
 * or a bare key (`keytype base64 [comment]`). GitLab only returns their SHA256 fingerprints, so drift is
 * detected by fingerprinting the configured keys locally.
 */

export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

export interface ParsedHostKey {
  keyType: string;
  blob: Buffer;
  /** `SHA256:` + unpadded base64 of sha256(blob), as `ssh-keygen -lf -E sha256` and GitLab print it. */
  fingerprint: string;
}

export type HostKeyParseResult = { ok: true; key: ParsedHostKey } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parseHostKey(line: string): HostKeyParseResult {
  const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { ok: false, reason: "is empty" };
  const typeIndex = isKeyType(tokens[0]) ? 0 : tokens.length > 1 && isKeyType(tokens[1]) ? 1 : -1;
  if (typeIndex < 0) {
    return {
      ok: false,
      reason: `is neither a known_hosts line ("host keytype base64") nor a bare key ("keytype base64"); key types: ${SSH_KEY_TYPES.join(", ")}`,
    };
  }
  const keyType = tokens[typeIndex];
  const data = tokens[typeIndex + 1];
  if (data === undefined) return { ok: false, reason: `has key type ${keyType} but no key data` };
  if (!BASE64.test(data) || data.length % 4 !== 0) return { ok: false, reason: `has key data that is not valid base64` };
  const blob = Buffer.from(data, "base64");
  const embedded = embeddedKeyType(blob);
  if (embedded === null) return { ok: false, reason: `has key data that is not an SSH public key` };
  if (embedded !== keyType) {
    return { ok: false, reason: `says ${keyType} but its key data is a ${embedded} key` };
  }
  return { ok: true, key: { keyType, blob, fingerprint: fingerprintOfBlob(blob) } };
}

export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** A GitLab-style fingerprint string; read() stores these in place of keys to record host-key drift. */
export function isFingerprint(text: string): boolean {
  return /^SHA256:[A-Za-z0-9+/]{43}$/.test(text);
}

/**
 * The fingerprint of a configured entry: a key line, or (after a refresh found drift) a fingerprint already.
 * Null when the entry is neither.
 */
export function fingerprintOfEntry(entry: string): string | null {
  const trimmed = entry.trim();
  if (isFingerprint(trimmed)) return trimmed;
  const parsed = parseHostKey(trimmed);
  return parsed.ok ? parsed.key.fingerprint : null;
}

/** Order-insensitive comparison of two fingerprint lists. */
export function sameFingerprints(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((fp, i) => fp === sb[i]);
}

function isKeyType(token: string): boolean {
  return (SSH_KEY_TYPES as readonly string[]).includes(token);
}

// The blob starts with the key type as an SSH "string": uint32 length, then the bytes (RFC 4253 §6.6).
function embeddedKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  const type = blob.subarray(4, 4 + length).toString("latin1");
  return /^[\x21-\x7e]+$/.test(type) ? type : null;
}
