/**
 * The package's entry point. For a program that imports `gitlab-mirrors` it is the TypeScript SDK.
 * When the Pulumi engine runs the package (the repository, or the installed package) as a source
 * plugin through PulumiPlugin.yaml, @pulumi/pulumi's run-plugin harness `require`s this directory: then
 * it also starts the provider plugin, which serves every other Pulumi language. (Where it can, the
 * engine runs the executable pulumi-resource-gitlab-mirrors instead, which starts the plugin without
 * this module.)
 */
import type * as PluginMain from "./provider/plugin/main";

export * from "./sdk/nodejs";

/** True when run-plugin loaded this very module as the plugin's program (not as someone's dependency). */
function loadedAsPlugin(): boolean {
  const harness = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin[\\/]/;
  // `module.parent` is the module that first required this one: run-plugin's run.js only when the
  // engine runs this package itself.
  const parent = (module as { parent?: { filename?: string } | null }).parent?.filename ?? "";
  return harness.test(require.main?.filename ?? "") && harness.test(parent);
}

// Loaded only then: a program that imports the SDK loads none of the provider's code.
if (loadedAsPlugin()) (require("./provider/plugin/main") as typeof PluginMain).runPluginProcess();
