/**
 * The demo in Python or Go: the same story as scripts/demo.ts (an emulator, a project with
 * branches and a tag, the quickstart applied by the real `pulumi` CLI, the refs in the target, a
 * second preview with nothing to do, destroy), with examples/python or examples/go run through
 * the generated SDK and the provider plugin of this checkout.
 *
 *   node dist/scripts/demo-sdk.js python|go
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { countingRequests, describeChanges, showTargetRefs, startDemoGitLab, step } from "../harness/demo-gitlab";
import { pulumiBinDir } from "../harness/pulumi-cli";
import { prepareDriver, QUICKSTART_PROJECTS, SdkLanguage, SdkStack } from "../harness/sdk-stack";

const LANGUAGES: readonly SdkLanguage[] = ["python", "go"];

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const language = positionals[0] as SdkLanguage;
  if (positionals.length !== 1 || !LANGUAGES.includes(language)) {
    throw new Error(`usage: node dist/scripts/demo-sdk.js ${LANGUAGES.join("|")}`);
  }
  const project = QUICKSTART_PROJECTS[language];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-demo-"));

  step(`preparing the ${language} SDK and its Automation API driver`);
  const driver = await prepareDriver(language, pulumiBinDir());
  const demo = await startDemoGitLab(scratch);
  const { gitlab, rootToken, targetUrl } = demo;
  let stack: SdkStack | undefined;
  try {
    step(`opening stack 'dev' of examples/${language} (mirror target ${targetUrl})`);
    stack = new SdkStack(driver, "quickstart", {
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: rootToken, secret: true },
      [`${project}:project`]: { value: "demo/app" },
      [`${project}:targetUrl`]: { value: demo.targetUrlWithCredentials, secret: true },
    });

    step("pulumi up: creating the push mirror and waiting for GitLab to push");
    const up = await stack.expectOk("up");
    process.stderr.write(up.log);
    step(`pulumi up finished: ${describeChanges(up.changes)}`);
    step("stack outputs:");
    for (const [name, output] of Object.entries(up.outputs ?? {})) {
      process.stdout.write(`    ${name}: ${output.secret ? "[secret]" : JSON.stringify(output.value)}\n`);
    }

    await showTargetRefs(demo);

    step("pulumi preview: a second run has nothing to change");
    const sdkStack = stack;
    const preview = await countingRequests(demo, () => sdkStack.expectOk("preview"));
    step(`pulumi preview finished: ${describeChanges(preview.result.changes)}, ${preview.described}`);

    step("pulumi destroy: removing the mirror");
    await stack.expectOk("destroy");
    step("done");
  } finally {
    stack?.dispose();
    driver.dispose();
    await gitlab.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[demo] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
