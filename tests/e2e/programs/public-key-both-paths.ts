// One ssh_public_key mirror on each path, the dynamic resource and the plugin's, so that a test can read
// how each stores the SSH public key GitLab generated.
import * as dynamic from "gitlab-mirrors/dynamic";
import * as plugin from "gitlab-mirrors/plugin";

const args = { project: "demo/app", authMethod: "ssh_public_key" as const, enabled: false };
const onDynamic = new dynamic.RemoteMirror("dynamic", { ...args, url: "ssh://git@git.example.com/backup/dynamic.git" });
const onPlugin = new plugin.RemoteMirror("plugin", { ...args, url: "ssh://git@git.example.com/backup/plugin.git" });

exports.dynamicMirrorId = onDynamic.mirrorId;
exports.pluginMirrorId = onPlugin.mirrorId;
