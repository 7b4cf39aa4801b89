/**
 * The quickstart in TypeScript on the plugin path (`gitlab-mirrors/plugin`): the same lifecycle
 * scenario as Python and Go (sync, drift, credential rotation, getRemoteMirrors), through the real CLI.
 */
import { describeSdkLifecycle } from "../sdk/lifecycle";

jest.setTimeout(300_000);

describeSdkLifecycle("the quickstart in TypeScript with the plugin's SDK and the real pulumi CLI", "typescript-plugin");
