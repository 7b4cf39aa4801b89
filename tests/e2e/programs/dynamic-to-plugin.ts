// The program of docs/dynamic-to-plugin.md, one stage per `move:stage` config value:
//   dynamic  the dynamic RemoteMirror, as a stack made before the move has it;
//   retain   the same, with retainOnDelete: dropping it from the program will then only forget it;
//   import   the plugin's RemoteMirror instead, adopting the same mirror (`import: move:id`);
//   plugin   the plugin's RemoteMirror alone, as the program stays from now on.
import * as pulumi from "@pulumi/pulumi";
import * as dynamic from "gitlab-mirrors/dynamic";
import * as plugin from "gitlab-mirrors/plugin";

const config = new pulumi.Config("move");
const stage = config.require("stage");
const args = { project: "demo/app", url: config.requireSecret("url"), enabled: false };

if (stage === "dynamic" || stage === "retain") {
  const mirror = new dynamic.RemoteMirror("mirror", args, { retainOnDelete: stage === "retain" });
  exports.mirrorResourceId = mirror.id;
  exports.mirrorId = mirror.mirrorId;
} else {
  const mirror = new plugin.RemoteMirror("mirror", args, stage === "import" ? { import: config.require("id") } : {});
  exports.mirrorResourceId = mirror.id;
  exports.mirrorId = mirror.mirrorId;
}
