/**
 * The plugin path's engine floor: a provider plugin whose one custom resource,
 * `noop-mirrors:index:RemoteMirror`, takes RemoteMirror's inputs and does nothing but return an id.
 * Served by `@pulumi/pulumi/provider`'s own server: a no-op needs none of what that server lacks
 * (explicit providers' settings, CheckConfig, import).
 */
import * as provider from "@pulumi/pulumi/provider";
import { NOOP_PACKAGE, NOOP_STATE_ENV, noopProvider, noopStateFrom } from "./provider";

/** True when run directly (pulumi-resource-noop-mirrors) or by the Node.js language host's run-plugin harness. */
function loadedAsPlugin(): boolean {
  return require.main === module || /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]/.test(require.main?.filename ?? "");
}

if (loadedAsPlugin()) {
  Promise.resolve()
    .then(() => provider.main(noopProvider(noopStateFrom(process.env[NOOP_STATE_ENV])), process.argv.slice(2)))
    .catch((err: unknown) => {
      process.stderr.write(`${NOOP_PACKAGE}: the plugin could not start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
