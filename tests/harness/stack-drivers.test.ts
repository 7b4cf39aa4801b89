/**
 * Every StackDriver answers the same scenario in the same shape: the Automation API (a compiled
 * Node.js program) and the `pulumi` CLI (the same program in YAML). The SDK drivers (Python, Go) run
 * the quickstart's whole life (tests/support/lifecycle.ts, the e2e suites); InlineStack, which runs the
 * program in the calling process and so not under jest's module sandbox, runs in the fleet benchmark.
 */
import * as path from "node:path";
import { AutomationStack } from "../../harness/automation-stack";
import { CliStack } from "../../harness/cli-stack";
import type { ConfigEntry, StackDriver } from "../../harness/stack-driver";
import { pulumiBinDirForTests, repoRoot } from "../e2e/support";

jest.setTimeout(240_000);

const PROJECT = "drivers";
const PASSWORD = "driver-password-7f3a";
const config = (greeting: string): Record<string, ConfigEntry> => ({
  [`${PROJECT}:greeting`]: { value: greeting },
  [`${PROJECT}:password`]: { value: PASSWORD, secret: true },
});

const YAML_PROGRAM = `name: ${PROJECT}
runtime: yaml
config:
  greeting:
    type: string
  password:
    type: string
    secret: true
outputs:
  greeting: \${greeting}
  password: \${password}
`;

const drivers: Array<[string, () => StackDriver]> = [
  ["Automation API", () => new AutomationStack(path.join(repoRoot, "dist", "tests", "harness", "programs", "outputs.js"), PROJECT, config("hello"), pulumiBinDirForTests())],
  ["pulumi CLI", () => new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": YAML_PROGRAM }, config: config("hello") })],
];

describe.each(drivers)("%s driver", (_title, open) => {
  // Each test runs the scenario from a fresh stack of its own: no test depends on another's.
  let stack: StackDriver;
  beforeEach(() => {
    stack = open();
  });
  afterEach(() => stack.dispose());

  it("up reports the outputs, secrets marked and hidden from the display, and a new config value on the next up", async () => {
    const first = await stack.expectOk("up");
    expect(first.outputs).toEqual({ greeting: { value: "hello", secret: false }, password: { value: PASSWORD, secret: true } });
    expect(first.changes).toEqual({ create: 1 });
    // The engine's display hides it (the driver's own result line carries the value, marked secret).
    expect(first.log).toMatch(/password: +\[secret\]/);

    stack.config = config("bonjour");
    expect((await stack.expectOk("up")).outputs?.greeting).toEqual({ value: "bonjour", secret: false });
  });

  it("preview counts the unchanged stack, export holds the deployment, destroy empties it", async () => {
    await stack.expectOk("up");
    expect((await stack.expectOk("preview")).changes).toEqual({ same: 1 });
    const exported = await stack.expectOk("export");
    const resources = (exported.deployment?.deployment as { resources?: Array<{ type: string }> }).resources ?? [];
    expect(resources.map((r) => r.type)).toContain("pulumi:pulumi:Stack");
    expect((await stack.expectOk("destroy")).changes).toEqual({ delete: 1 });
  });

  it("a failed operation resolves with ok false and the engine's words; expectOk throws them", async () => {
    stack.config = {};
    const result = await stack.run("up");
    expect(result.ok).toBe(false);
    expect(result.error).toContain("greeting");
    await expect(stack.expectOk("up")).rejects.toThrow(/pulumi up failed: .*greeting/s);
  });
});
