// getRemoteMirrors from TypeScript on the plugin path, as the Python and Go discovery programs do it.
import * as pulumi from "@pulumi/pulumi";
import * as mirrors from "gitlab-mirrors/plugin";

const project = new pulumi.Config().require("project");
exports.mirrors = mirrors
  .getRemoteMirrorsOutput({ project })
  .apply((result) => result.mirrors.map((m) => ({ id: m.id, url: m.url, enabled: m.enabled, updateStatus: m.updateStatus })));
