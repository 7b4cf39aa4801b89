import type * as pulumi from "@pulumi/pulumi";
import type * as Handlers from "./handlers";

/**
 * The object handed to `pulumi.dynamic.Resource`, serialized into every resource's state as `__provider`.
 * Each method only `require`s the installed handlers at run time and delegates, so the serialized text
 * stays tiny and identical across versions, and the code that runs is always the installed one
 * (pulumi-provider-mechanics §1.2, §1.8). Nothing here may capture a client, a schema or a secret.
 */
function handlers(): typeof Handlers {
  return require("gitlab-mirrors/provider/dynamic/handlers");
}

export const remoteMirrorProvider: pulumi.dynamic.ResourceProvider = {
  // Stores the settings before the first await: the host caches the provider before configure resolves.
  async configure(req) {
    handlers().configure({ baseUrl: req.config.get("gitlab:baseUrl"), token: req.config.get("gitlab:token") });
  },
  check: (olds, news) => handlers().check(olds, news),
  diff: (id, olds, news) => handlers().diff(id, olds, news),
  create: (inputs) => handlers().create(inputs),
  read: (id, props) => handlers().read(id, props),
  update: (id, olds, news) => handlers().update(id, olds, news),
  delete: (id, props) => handlers().remove(id, props),
};
