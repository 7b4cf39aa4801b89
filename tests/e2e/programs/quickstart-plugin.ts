// The quickstart in TypeScript on the plugin path (`gitlab-mirrors/plugin`), as the Python and Go
// quickstarts do it: the same config keys and outputs, so that tests/sdk/lifecycle.ts runs it too.
import * as pulumi from "@pulumi/pulumi";
import * as mirrors from "gitlab-mirrors/plugin";

const config = new pulumi.Config();
const sync = config.getBoolean("sync") ?? true;
const mirror = new mirrors.RemoteMirror("app-backup", {
  project: config.get("project") ?? "demo/app",
  url: config.requireSecret("targetUrl"),
  enabled: config.getBoolean("enabled") ?? true,
  // Push right away and wait until GitLab reports the outcome, so `up` fails if mirroring fails.
  syncOnApply: sync,
  waitForSync: sync,
});

exports.mirrorId = mirror.mirrorId;
exports.projectId = mirror.projectId;
exports.maskedUrl = mirror.maskedUrl;
exports.enabled = mirror.enabled;
exports.updateStatus = mirror.updateStatus;
exports.lastSuccessfulUpdateAt = mirror.lastSuccessfulUpdateAt;
exports.lastError = mirror.lastError;
