import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror } from "gitlab-mirrors";

// The GitLab connection comes from `gitlab:baseUrl` and `gitlab:token` (or GITLAB_BASE_URL and
// GITLAB_TOKEN), the same keys the pulumi-gitlab provider reads.
const config = new pulumi.Config();
const sync = config.getBoolean("sync") ?? true;

const mirror = new RemoteMirror("app-backup", {
  project: config.get("project") ?? "demo/app",
  url: config.requireSecret("targetUrl"),
  enabled: config.getBoolean("enabled") ?? true,
  // Push right away and wait until GitLab reports the outcome, so `up` fails if mirroring fails.
  syncOnApply: sync,
  waitForSync: sync,
});

export const mirrorId = mirror.mirrorId;
export const projectId = mirror.projectId;
export const maskedUrl = mirror.maskedUrl;
export const enabled = mirror.enabled;
export const updateStatus = mirror.updateStatus;
export const lastSuccessfulUpdateAt = mirror.lastSuccessfulUpdateAt;
export const lastError = mirror.lastError;
