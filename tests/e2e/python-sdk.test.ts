/**
 * examples/python through the generated Python SDK (pip-installed from sdk/python), the provider
 * plugin from this checkout and the real pulumi CLI, run inline by Python's Automation API.
 */
import { describeSdkLifecycle } from "../sdk/lifecycle";

jest.setTimeout(300_000);

describeSdkLifecycle("examples/python with the generated SDK and the real pulumi CLI", "python");
