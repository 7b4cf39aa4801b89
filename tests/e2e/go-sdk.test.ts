/**
 * examples/go through the generated Go SDK (sdk/go, by a `replace`), the provider plugin from
 * this checkout and the real pulumi CLI, run inline by Go's Automation API.
 */
import { describeLifecycle } from "../support/lifecycle";
import { sdkPath } from "../support/lifecycle-paths";

jest.setTimeout(300_000);

describeLifecycle("examples/go with the generated SDK and the real pulumi CLI", sdkPath("go"));
