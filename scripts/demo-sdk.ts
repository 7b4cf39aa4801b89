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
import { DEFAULT_SEED, startEmulator } from "../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "./lib/git";
import { pulumiBinDir } from "./lib/pulumi-cli";
import { prepareDriver, QUICKSTART_PROJECTS, SdkLanguage, SdkStack } from "./lib/sdk-stack";

const LANGUAGES: readonly SdkLanguage[] = ["python", "go"];

function step(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const language = positionals[0] as SdkLanguage;
  if (positionals.length !== 1 || !LANGUAGES.includes(language)) {
    throw new Error(`usage: node dist/scripts/demo-sdk.js ${LANGUAGES.join("|")}`);
  }
  const project = QUICKSTART_PROJECTS[language];
  const root = DEFAULT_SEED.users!.find((u) => u.username === "root")!;
  const rootToken = root.tokens![0].token;
  const target = DEFAULT_SEED.targets![0];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-demo-"));

  step(`preparing the ${language} SDK and its Automation API driver`);
  const driver = await prepareDriver(language, pulumiBinDir());
  step("starting the local GitLab emulator");
  const gitlab = await startEmulator();
  let stack: SdkStack | undefined;
  try {
    step(`GitLab emulator listening at ${gitlab.baseUrl} (API ${gitlab.apiUrl})`);
    step("pushing a sample repository (main, feature/login, tag v1.0.0) to project demo/app");
    const source = path.join(scratch, "source");
    await makeSampleRepository(source);
    await pushAll(source, withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", rootToken));

    const targetUrl = `${gitlab.baseUrl}/-/targets/${target.path}.git`;
    step(`opening stack 'dev' of examples/${language} (mirror target ${targetUrl})`);
    stack = new SdkStack(driver, "quickstart", {
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: rootToken, secret: true },
      [`${project}:project`]: { value: "demo/app" },
      [`${project}:targetUrl`]: { value: withCredentials(targetUrl, target.username, target.password), secret: true },
    });

    step("pulumi up: creating the push mirror and waiting for GitLab to push");
    const up = await stack.expectOk("up");
    process.stderr.write(up.log);
    step(`pulumi up finished: ${JSON.stringify(up.changes)}`);
    step("stack outputs:");
    for (const [name, output] of Object.entries(up.outputs ?? {})) {
      process.stdout.write(`    ${name}: ${output.secret ? "[secret]" : JSON.stringify(output.value)}\n`);
    }

    // The provider's defaults mirror protected branches only (main, in the seed) and every tag.
    step("refs now in the mirror target (protected branches and tags):");
    const refs = await listRemoteRefs(withCredentials(targetUrl, target.username, target.password));
    for (const [ref, sha] of refs) process.stdout.write(`    ${sha.slice(0, 12)} ${ref}\n`);

    step("pulumi preview: a second run has nothing to change");
    const counters = `${gitlab.baseUrl}/-/emulator/counters`;
    await fetch(counters, { method: "DELETE" });
    const preview = await stack.expectOk("preview");
    const { total } = (await (await fetch(counters)).json()) as { total: number };
    step(`pulumi preview finished: ${JSON.stringify(preview.changes)}, ${total} GitLab API requests`);

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
