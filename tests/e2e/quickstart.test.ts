/**
 * examples/quickstart (TypeScript on the dynamic provider) through the real pulumi CLI, each operation run
 * by the Automation API, against the emulator: the whole life of one push mirror, as a platform team
 * would run it. The scenario is the one every path runs (tests/support/lifecycle.ts); the dynamic path
 * adds no step of its own (its preview asks GitLab nothing at all, the path's `previewRoutes`).
 */
import { describeLifecycle } from "../support/lifecycle";
import { dynamicPath } from "../support/lifecycle-paths";

jest.setTimeout(300_000);

describeLifecycle("examples/quickstart with the real pulumi CLI", dynamicPath());
