import type * as pulumi from "@pulumi/pulumi";
import type * as Handlers from "./handlers";

/**
 * The module every dynamic RemoteMirror's state names: its `__provider` text `require`s it on every
 * refresh, update and destroy, with whatever version of the package is installed then. It is a state
 * format, not an internal path: renaming or moving it (or dropping it from package.json's `exports`)
 * breaks every existing stack. tests/dynamic/state-format.test.ts holds it to a state written by
 * version 0.1.0.
 */
export const HANDLERS_MODULE = "gitlab-mirrors/provider/dynamic/handlers";

/**
 * The object handed to `pulumi.dynamic.Resource`, serialized into every resource's state as `__provider`
 * (twice per resource, and sent on every call: budget 2 KB). Each method only `require`s the installed
 * handlers at run time and delegates, so the text stays tiny and identical across versions and the code
 * that runs is always the installed one (Pulumi's closure serializer copies local code into the text by
 * value, and a resource whose inputs did not change keeps running its stored text on refresh and delete).
 * Nothing here may capture a client, a schema or a secret.
 *
 * The module path sits in a captured object rather than in each method: the serializer emits a captured
 * object once, but would inline a captured string (or a helper function's wrapper) into every method.
 */
const impl = { path: HANDLERS_MODULE };

type H = typeof Handlers;

export const remoteMirrorProvider: pulumi.dynamic.ResourceProvider = {
  // handlers.configure stores the settings before any await: the host caches the provider before
  // configure resolves, so a concurrent call could otherwise run unconfigured (`getProvider` in
  // `@pulumi/pulumi/cmd/dynamic-provider`).
  configure: (...a: Parameters<H["configure"]>) => require(impl.path).configure(...a),
  check: (...a: Parameters<H["check"]>) => require(impl.path).check(...a),
  diff: (...a: Parameters<H["diff"]>) => require(impl.path).diff(...a),
  create: (...a: Parameters<H["create"]>) => require(impl.path).create(...a),
  read: (...a: Parameters<H["read"]>) => require(impl.path).read(...a),
  update: (...a: Parameters<H["update"]>) => require(impl.path).update(...a),
  delete: (...a: Parameters<H["remove"]>) => require(impl.path).remove(...a),
};
