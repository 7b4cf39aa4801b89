/**
 * The five ways the lifecycle scenario (lifecycle.ts) consumes the provider, each a LifecyclePath:
 * TypeScript on the dynamic provider, YAML, Python, Go, and TypeScript on the plugin.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AutomationStack } from "../../harness/automation-stack";
import { CliStack } from "../../harness/cli-stack";
import { prepareDriver, QUICKSTART_PROJECTS, type SdkDriver, type SdkLanguage, SdkStack } from "../../harness/sdk-stack";
import type { ConfigEntry, StackDriver } from "../../harness/stack-driver";
import { nodeProgramStack } from "../e2e/node-program";
import { pulumiBinDirForTests, repoRoot } from "../e2e/support";
import type { LifecyclePath } from "./lifecycle";

const PLUGIN_MIRROR = "gitlab-mirrors:index:RemoteMirror";
/** The plugin checks its token once per provider instance, on preview too. */
const PLUGIN_PREVIEW_ROUTES = { "GET /user": 1 };

const pluginConnection = (baseUrl: string, token: string): Record<string, ConfigEntry> => ({
  "gitlab-mirrors:baseUrl": { value: baseUrl },
  "gitlab-mirrors:token": { value: token, secret: true },
});

/** examples/quickstart: the dynamic provider, each operation run by the Automation API (harness/automation-stack.ts). */
export function dynamicPath(): LifecyclePath<AutomationStack> {
  return {
    project: "quickstart",
    mirrorType: "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror",
    // The dynamic provider reads the keys the pulumi-gitlab provider reads.
    connection: (baseUrl, token) => ({ "gitlab:baseUrl": { value: baseUrl }, "gitlab:token": { value: token, secret: true } }),
    // Nothing: the dynamic provider has no early token check.
    previewRoutes: {},
    openQuickstart: (config) =>
      new AutomationStack(path.join(repoRoot, "dist", "examples", "quickstart", "index.js"), "quickstart", config, pulumiBinDirForTests()),
    dispose: () => undefined,
  };
}

/** The YAML quickstart's project name: the namespace of its config. */
export const YAML_PROJECT = "gitlab-mirrors-yaml";

/**
 * examples/yaml, pointed at the plugin in this checkout wherever the project directory is, with
 * `extraResources` (YAML text indented as entries of `resources:`) added after its mirror.
 */
export function yamlExample(extraResources = ""): string {
  const text = fs.readFileSync(path.join(repoRoot, "examples", "yaml", "Pulumi.yaml"), "utf8");
  return text.replace(/^  gitlab-mirrors: \.\.\/\.\.$/m, `  gitlab-mirrors: ${repoRoot}`).replace(/^outputs:$/m, `${extraResources}outputs:`);
}

/** getRemoteMirrors from YAML, in the quickstart's project (its config namespace). */
const YAML_DISCOVERY = `name: ${YAML_PROJECT}
runtime: yaml
packages:
  gitlab-mirrors: ${repoRoot}
config:
  project:
    type: string
variables:
  listed:
    fn::invoke:
      function: gitlab-mirrors:index:getRemoteMirrors
      arguments:
        project: \${project}
outputs:
  mirrors: \${listed.mirrors}
`;

/** examples/yaml through the real CLI and pulumi-language-yaml (harness/cli-stack.ts). */
export function yamlPath(): LifecyclePath<CliStack> {
  return {
    project: YAML_PROJECT,
    mirrorType: PLUGIN_MIRROR,
    connection: pluginConnection,
    previewRoutes: PLUGIN_PREVIEW_ROUTES,
    openQuickstart: (config) =>
      new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": yamlExample() }, env: { GITLAB_MIRRORS_POLL_INTERVAL_MS: "200" }, config }),
    openDiscovery: (config) => new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": YAML_DISCOVERY }, config }),
    dispose: () => undefined,
  };
}

/** examples/python or examples/go through the generated SDK, run by the language's Automation API (harness/sdk-stack.ts). */
export function sdkPath(language: SdkLanguage): LifecyclePath<SdkStack> {
  let driver: SdkDriver | undefined;
  const prepared = (): SdkDriver => {
    if (driver === undefined) throw new Error(`the ${language} driver is not prepared: setUp() first`);
    return driver;
  };
  return {
    project: QUICKSTART_PROJECTS[language],
    mirrorType: PLUGIN_MIRROR,
    connection: pluginConnection,
    previewRoutes: PLUGIN_PREVIEW_ROUTES,
    setUp: async () => {
      driver = await prepareDriver(language, pulumiBinDirForTests());
    },
    openQuickstart: (config) => new SdkStack(prepared(), "quickstart", config),
    openDiscovery: (config) => new SdkStack(prepared(), "discover", config),
    dispose: () => driver?.dispose(),
  };
}

/** TypeScript on the plugin path: the compiled programs of tests/e2e/programs, run by the real CLI and the Node.js host. */
export function typescriptPluginPath(): LifecyclePath<CliStack> {
  const project = "quickstart-typescript";
  const open = (program: "quickstart" | "discover", config: Record<string, ConfigEntry>): CliStack => {
    const stack = nodeProgramStack(project, `tests/e2e/programs/${program}-plugin.js`, {
      pluginFromCheckout: true,
      env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" },
    });
    stack.config = config;
    return stack;
  };
  return {
    project,
    mirrorType: PLUGIN_MIRROR,
    connection: pluginConnection,
    previewRoutes: PLUGIN_PREVIEW_ROUTES,
    openQuickstart: (config) => open("quickstart", config),
    openDiscovery: (config): StackDriver => open("discover", config),
    dispose: () => undefined,
  };
}
