/** The mirror's own SSH key: RSA 4096, public half in OpenSSH format with comment `git@<host>`. */
import { generateKeyPair } from "node:crypto";

function sshString(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  return Buffer.concat([length, data]);
}

/** SSH mpint: big-endian, with a leading zero byte when the top bit is set. */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start += 1;
  let body = unsigned.subarray(start);
  if (body[0] & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return sshString(body);
}

export interface SshKeyPair {
  /** PKCS#1 PEM, which OpenSSH reads directly. */
  privateKeyPem: string;
  /** `ssh-rsa AAAA...` without a comment. */
  publicKey: string;
}

export function generateMirrorKey(bits = 4096): Promise<SshKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair("rsa", { modulusLength: bits, publicExponent: 0x10001 }, (error, publicKey, privateKey) => {
      if (error) {
        reject(error);
        return;
      }
      const jwk = publicKey.export({ format: "jwk" });
      const e = Buffer.from(String(jwk.e), "base64url");
      const n = Buffer.from(String(jwk.n), "base64url");
      const blob = Buffer.concat([sshString(Buffer.from("ssh-rsa")), sshMpint(e), sshMpint(n)]);
      resolve({
        privateKeyPem: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
        publicKey: `ssh-rsa ${blob.toString("base64")}`,
      });
    });
  });
}
