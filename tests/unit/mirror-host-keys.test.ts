import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fingerprintOfEntry, isFingerprint, parseHostKey, sameFingerprints } from "../../provider/mirror/host-keys";

interface GeneratedKey {
  type: string;
  publicLine: string;
  expected: string;
}

let dir: string;
const keys: GeneratedKey[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "glm-hostkeys-"));
  for (const [type, extra] of [["ed25519", []], ["rsa", ["-b", "2048"]], ["ecdsa", ["-b", "256"]]] as const) {
    const file = join(dir, `key_${type}`);
    execFileSync("ssh-keygen", ["-q", "-t", type, ...extra, "-N", "", "-C", "test@example", "-f", file]);
    const publicLine = readFileSync(`${file}.pub`, "utf8").trim();
    // ssh-keygen -lf prints "<bits> SHA256:<fp> <comment> (<TYPE>)"
    const listing = execFileSync("ssh-keygen", ["-lf", `${file}.pub`, "-E", "sha256"], { encoding: "utf8" });
    keys.push({ type, publicLine, expected: listing.split(" ")[1] });
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SSH host key fingerprints", () => {
  it("match ssh-keygen -lf -E sha256 for bare keys of each type", () => {
    expect(keys).toHaveLength(3);
    for (const key of keys) {
      const parsed = parseHostKey(key.publicLine);
      expect(parsed).toMatchObject({ ok: true });
      if (parsed.ok) expect(parsed.key.fingerprint).toBe(key.expected);
      expect(isFingerprint(key.expected)).toBe(true);
    }
  });

  it("match for known_hosts lines (host, [host]:port) and ignore comments and surrounding spaces", () => {
    const [ed] = keys;
    const [type, blob] = ed.publicLine.split(" ");
    expect(fingerprintOfEntry(`gitlab.example.com ${type} ${blob}`)).toBe(ed.expected);
    expect(fingerprintOfEntry(`  [mirror.example.org]:2222 ${type} ${blob} some comment  `)).toBe(ed.expected);
    expect(fingerprintOfEntry(`${type} ${blob}`)).toBe(ed.expected);
  });

  it("treat an entry that is already a fingerprint as itself (drift marker written by read)", () => {
    expect(fingerprintOfEntry(keys[0].expected)).toBe(keys[0].expected);
  });

  it.each([
    ["", "is empty"],
    ["hello world", 'is neither a known_hosts line ("host keytype base64") nor a bare key ("keytype base64")'],
    ["ssh-ed25519", "has key type ssh-ed25519 but no key data"],
    ["ssh-ed25519 not*base64", "has key data that is not valid base64"],
    ["ssh-ed25519 AAAA", "has key data that is not an SSH public key"],
  ])("reject %j: %s", (line, reason) => {
    const parsed = parseHostKey(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.startsWith(reason)).toBe(true);
  });

  it("reject a key whose declared type differs from the type embedded in its data", () => {
    const rsa = keys.find((k) => k.type === "rsa")!;
    const blob = rsa.publicLine.split(" ")[1];
    expect(parseHostKey(`ssh-ed25519 ${blob}`)).toEqual({ ok: false, reason: "says ssh-ed25519 but its key data is a ssh-rsa key" });
  });

  it("compare fingerprint lists regardless of order", () => {
    const [a, b] = keys.map((k) => k.expected);
    expect(sameFingerprints([a, b], [b, a])).toBe(true);
    expect(sameFingerprints([a, b], [a])).toBe(false);
    expect(sameFingerprints([a, a], [a, b])).toBe(false);
  });
});
