/**
 * examples/python through the generated Python SDK (pip-installed from sdk/python), the provider
 * plugin from this checkout and the real pulumi CLI, run inline by Python's Automation API.
 */
import { describeLifecycle } from "../support/lifecycle";
import { sdkPath } from "../support/lifecycle-paths";

jest.setTimeout(300_000);

describeLifecycle("examples/python with the generated SDK and the real pulumi CLI", sdkPath("python"));
