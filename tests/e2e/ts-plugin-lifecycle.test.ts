/**
 * The quickstart in TypeScript on the plugin path (`gitlab-mirrors/plugin`): the lifecycle scenario every
 * path runs (sync, drift, credential rotation, getRemoteMirrors), through the real CLI.
 */
import { describeLifecycle } from "../support/lifecycle";
import { typescriptPluginPath } from "../support/lifecycle-paths";

jest.setTimeout(300_000);

describeLifecycle("the quickstart in TypeScript with the plugin's SDK and the real pulumi CLI", typescriptPluginPath());
