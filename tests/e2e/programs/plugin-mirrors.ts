// An end-to-end test program on the plugin path (`gitlab-mirrors/plugin`): the plugin's resources from
// TypeScript, as a user writes them. Stack config chooses what it declares:
//   plugin:targetUrl (secret)   one mirror of demo/app through the default provider (`gitlab-mirrors:*` config);
//   plugin:enabled              that mirror's `enabled` (default true);
//   plugin:importedUrl (secret) a second mirror, "imported", declared after `pulumi import` adopted it;
//   plugin:setUrls (secret)     a ProjectMirrors of demo/app with these URLs (a JSON list), disabled;
//   plugin:eastUrl/westUrl      two explicit providers, one per GitLab, each with a mirror of demo/app,
//                               and getRemoteMirrors through the east one.
import * as pulumi from "@pulumi/pulumi";
import * as mirrors from "gitlab-mirrors/plugin";

const config = new pulumi.Config("plugin");

const targetUrl = config.getSecret("targetUrl");
if (targetUrl !== undefined) {
  const mirror = new mirrors.RemoteMirror("mirror", {
    project: "demo/app",
    url: targetUrl,
    enabled: config.getBoolean("enabled") ?? true,
  });
  exports.mirrorId = mirror.mirrorId;
  exports.updateStatus = mirror.updateStatus;
}

const importedUrl = config.getSecret("importedUrl");
if (importedUrl !== undefined) {
  new mirrors.RemoteMirror("imported", { project: "demo/app", url: importedUrl });
}

const setUrls = config.getSecret("setUrls");
if (setUrls !== undefined) {
  const set = new mirrors.ProjectMirrors("set", {
    project: "demo/app",
    mirrors: setUrls.apply((text) => (JSON.parse(text) as string[]).map((url) => ({ url, enabled: false }))),
  });
  exports.setMirrorIds = set.mirrors.apply((entries) => entries.map((entry) => entry.mirrorId));
  exports.setUnmanaged = set.unmanagedMirrors.apply((others) => others.map((other) => other.id));
}

const eastUrl = config.get("eastUrl");
const westUrl = config.get("westUrl");
if (eastUrl !== undefined && westUrl !== undefined) {
  const token = config.requireSecret("token");
  const backupUrl = config.requireSecret("backupUrl");
  const east = new mirrors.Provider("east", { baseUrl: eastUrl, token });
  const west = new mirrors.Provider("west", { baseUrl: westUrl, token });
  const eastMirror = new mirrors.RemoteMirror("eastMirror", { project: "demo/app", url: backupUrl }, { provider: east });
  new mirrors.RemoteMirror("westMirror", { project: "demo/app", url: backupUrl, enabled: false }, { provider: west });
  exports.eastMirrors = mirrors
    .getRemoteMirrorsOutput({ project: "demo/app" }, { provider: east, dependsOn: [eastMirror] })
    .apply((listed) => listed.mirrors.map((m) => ({ id: m.id, url: m.url, enabled: m.enabled })));
}
