/**
 * The demo: a local GitLab emulator, a project with branches and a tag, and the quickstart
 * stack applied by the real `pulumi` CLI, which creates a push mirror and waits for GitLab
 * to push. Then it shows the refs that landed in the target, proves a second preview has
 * nothing to do, destroys the stack and stops everything it started.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { countingRequests, describeChanges, showTargetRefs, startDemoGitLab, step } from "../harness/demo-gitlab";
import { openExampleStack } from "../harness/automation-stack";

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-demo-"));
  const demo = await startDemoGitLab(scratch);
  const { gitlab, rootToken, targetUrl } = demo;
  try {
    step(`opening stack 'dev' of examples/quickstart (mirror target ${targetUrl})`);
    const stack = await openExampleStack({
      example: "quickstart",
      stackName: "dev",
      stateDir: path.join(scratch, "pulumi"),
      config: {
        "gitlab:baseUrl": { value: gitlab.baseUrl },
        "gitlab:token": { value: rootToken, secret: true },
        "quickstart:project": { value: "demo/app" },
        "quickstart:targetUrl": { value: demo.targetUrlWithCredentials, secret: true },
      },
    });

    step("pulumi up: creating the push mirror and waiting for GitLab to push");
    const up = await stack.up({ onOutput: (text) => process.stderr.write(text) });
    step(`pulumi up finished: ${describeChanges(up.summary.resourceChanges)}`);
    step("stack outputs:");
    for (const [name, output] of Object.entries(up.outputs)) {
      const shown = output.secret ? "[secret]" : JSON.stringify(output.value);
      process.stdout.write(`    ${name}: ${shown}\n`);
    }

    await showTargetRefs(demo);

    step("pulumi preview: a second run has nothing to change");
    const preview = await countingRequests(demo, () => stack.preview());
    step(`pulumi preview finished: ${describeChanges(preview.result.changeSummary)}, ${preview.described}`);

    step("pulumi destroy: removing the mirror");
    await stack.destroy({ onOutput: (text) => process.stderr.write(text) });
    step("done");
  } finally {
    await gitlab.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[demo] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
