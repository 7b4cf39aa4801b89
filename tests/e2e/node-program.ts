/**
 * A CliStack whose program is one of the compiled Node.js programs of this checkout (dist/...js), run
 * by the real CLI through the Node.js language host, as a user's `pulumi up` runs it.
 */
import * as path from "node:path";
import { CliStack } from "../../harness/cli-stack";
import { pulumiBinDirForTests, repoRoot } from "./support";

/**
 * `program` is relative to dist/ ("tests/e2e/programs/x.js"). The project directory is a temporary one,
 * but the program stays in the checkout, where it resolves @pulumi/pulumi and gitlab-mirrors (through
 * the package's exports map) from node_modules; the dynamic provider host runs there too. With
 * `pluginFromCheckout`, Pulumi.yaml names this checkout as the gitlab-mirrors plugin.
 */
export function nodeProgramStack(
  name: string,
  program: string,
  { pluginFromCheckout = false, env = {} }: { pluginFromCheckout?: boolean; env?: Record<string, string> } = {},
): CliStack {
  const stack = new CliStack({ binDir: pulumiBinDirForTests(), env });
  const main = path.relative(stack.projectDir, path.join(repoRoot, "dist", program));
  const plugins = pluginFromCheckout ? `plugins:\n  providers:\n    - name: gitlab-mirrors\n      path: ${repoRoot}\n` : "";
  stack.write({ "Pulumi.yaml": `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${main}\n${plugins}` });
  return stack;
}
