/**
 * `host_keys` input -> stored known_hosts text (RemoteMirrors::HostKeysConverter), and stored
 * known_hosts -> response fingerprints (MirrorHostKey entity).
 */
import { createHash } from "node:crypto";
import { parseMirrorUrl } from "./mirror-url";

export const MAX_HOST_KEYS = 10;

/** Key type -> number of SSH wire strings in its public blob (name included). */
const BLOB_FIELDS: Record<string, number> = {
  "ssh-rsa": 3,
  "ssh-dss": 5,
  "ssh-ed25519": 2,
  "ecdsa-sha2-nistp256": 3,
  "ecdsa-sha2-nistp384": 3,
  "ecdsa-sha2-nistp521": 3,
  "sk-ssh-ed25519@openssh.com": 3,
  "sk-ecdsa-sha2-nistp256@openssh.com": 4,
};

/**
 * Decodes `<type> <base64>`; undefined unless the blob is exactly a key of the named, supported
 * type (the right number of fields and nothing after them, so a truncated key is refused).
 */
export function parsePublicKey(type: string, base64: string): Buffer | undefined {
  const fields = BLOB_FIELDS[type];
  if (fields === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const blob = Buffer.from(base64, "base64");
  let offset = 0;
  const values: Buffer[] = [];
  for (let i = 0; i < fields; i += 1) {
    if (offset + 4 > blob.length) return undefined;
    const length = blob.readUInt32BE(offset);
    if (offset + 4 + length > blob.length) return undefined;
    values.push(blob.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  if (offset !== blob.length || values[0].toString("latin1") !== type) return undefined;
  if (type.includes("ed25519") && values[1].length !== 32) return undefined;
  return blob;
}

export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key part of a known_hosts line (skipping the host field and an optional @marker). */
function keyOfKnownHostsLine(line: string): Buffer | undefined {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0]?.startsWith("@")) tokens.shift();
  if (tokens.length < 3) return undefined;
  return parsePublicKey(tokens[1], tokens[2]);
}

/**
 * Form encoding turns "+" into spaces. Everything after the leading fields is key data, so each
 * space there (runs included: "++" becomes two spaces) is turned back into "+".
 */
function repairBase64(entry: string, ...leading: string[]): string {
  let rest = entry;
  for (const field of leading) rest = rest.slice(rest.indexOf(field) + field.length).replace(/^\s/, "");
  return rest.replace(/ /g, "+");
}

export type HostKeysResult = { ok: true; knownHosts: string | undefined } | { ok: false; detail: string };

/** The `[host]:port` or `host` prefix GitLab gives bare keys. */
function knownHostsName(mirrorUrl: string): string | undefined {
  const parsed = parseMirrorUrl(mirrorUrl);
  if (!parsed.ok || parsed.value.host === "") return undefined;
  const { host, port } = parsed.value;
  return port === undefined || Number(port) === 22 ? host : `[${host}]:${port}`;
}

/**
 * Converts the request's `host_keys` into known_hosts text. An empty list clears the stored
 * keys (undefined); any bad entry rejects the whole list.
 */
export function convertHostKeys(entries: string[], mirrorUrl: string): HostKeysResult {
  if (entries.length > MAX_HOST_KEYS) return { ok: false, detail: `too many host keys (maximum is ${MAX_HOST_KEYS})` };
  const lines: string[] = [];
  const bad: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === "") continue;
    const tokens = entry.split(/\s+/);
    const fullForm = tokens.length >= 3 && /^(ssh-|ecdsa-)/.test(tokens[1]);
    if (fullForm) {
      if (keyOfKnownHostsLine(entry)) lines.push(entry);
      else {
        const repaired = `${tokens[0]} ${tokens[1]} ${repairBase64(entry, tokens[0], tokens[1])}`;
        if (keyOfKnownHostsLine(repaired)) lines.push(repaired);
        else bad.push(entry);
      }
      continue;
    }
    const type = tokens[0];
    let key = parsePublicKey(type, tokens[1] ?? "") ? tokens[1] : undefined;
    if (!key && tokens.length > 2) {
      const repaired = repairBase64(entry, type);
      if (parsePublicKey(type, repaired)) key = repaired;
    }
    if (!key) {
      bad.push(entry);
      continue;
    }
    const host = knownHostsName(mirrorUrl);
    if (!host) return { ok: false, detail: "cannot determine hostname from URL for bare key" };
    lines.push(`${host} ${type} ${key}`);
  }
  if (bad.length > 0) return { ok: false, detail: bad.join(", ") };
  return { ok: true, knownHosts: lines.length > 0 ? lines.join("\n") : undefined };
}

export function hostKeyFingerprints(knownHosts: string | undefined): Array<{ fingerprint_sha256: string }> {
  if (!knownHosts) return [];
  const out: Array<{ fingerprint_sha256: string }> = [];
  for (const line of knownHosts.split("\n")) {
    const blob = keyOfKnownHostsLine(line);
    if (blob) out.push({ fingerprint_sha256: fingerprintSha256(blob) });
  }
  return out;
}
