import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror } from "gitlab-mirrors";
import { AuthorizedKey } from "./authorized-key";

const config = new pulumi.Config();

// GitLab generates an RSA key pair for the mirror; it pushes with the private half and verifies
// the target against the host key we give it (strict host key checking).
const mirror = new RemoteMirror("app-over-ssh", {
  project: config.get("project") ?? "demo/app",
  url: config.require("targetUrl"),
  authMethod: "ssh_public_key",
  hostKeys: [config.require("hostKey")],
});

// Authorise GitLab's public key on the target. Here the target is a plain sshd, so that is a line
// in its authorized_keys file; on GitHub it would be a deploy key with write access.
const access = new AuthorizedKey("gitlab-push-key", {
  file: config.require("authorizedKeysFile"),
  publicKey: mirror.publicKey.apply((key) => {
    if (!key) throw new Error("GitLab returned no public key for an ssh_public_key mirror");
    return key;
  }),
});

export const mirrorId = mirror.mirrorId;
export const publicKey = mirror.publicKey;
export const hostKeyFingerprints = mirror.hostKeyFingerprints;
export const authorizedKeyLine = access.line;
