/**
 * examples/go through the generated Go SDK (sdk/go, by a `replace`), the provider plugin from
 * this checkout and the real pulumi CLI, run inline by Go's Automation API.
 */
import { describeSdkLifecycle } from "../sdk/lifecycle";

jest.setTimeout(300_000);

describeSdkLifecycle("examples/go with the generated SDK and the real pulumi CLI", "go");
