/**
 * The demo: a local GitLab emulator, a project with branches and a tag, and the quickstart
 * stack applied by the real `pulumi` CLI, which creates a push mirror and waits for GitLab
 * to push. Then it shows the refs that landed in the target, proves a second preview has
 * nothing to do, destroys the stack and stops everything it started.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, startEmulator } from "../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "./lib/git";
import { openExampleStack } from "./lib/stack";

function step(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

async function main(): Promise<void> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-demo-"));
  const root = DEFAULT_SEED.users!.find((u) => u.username === "root")!;
  const rootToken = root.tokens![0].token;
  const target = DEFAULT_SEED.targets![0];

  step("starting the local GitLab emulator");
  const gitlab = await startEmulator();
  try {
    step(`GitLab emulator listening at ${gitlab.baseUrl} (API ${gitlab.apiUrl})`);

    step("pushing a sample repository (main, feature/login, tag v1.0.0) to project demo/app");
    const source = path.join(scratch, "source");
    await makeSampleRepository(source);
    await pushAll(source, withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", rootToken));

    const targetUrl = `${gitlab.baseUrl}/-/targets/${target.path}.git`;
    step(`opening stack 'dev' of examples/quickstart (mirror target ${targetUrl})`);
    const stack = await openExampleStack({
      example: "quickstart",
      stackName: "dev",
      stateDir: path.join(scratch, "pulumi"),
      config: {
        "gitlab:baseUrl": { value: gitlab.baseUrl },
        "gitlab:token": { value: rootToken, secret: true },
        "quickstart:project": { value: "demo/app" },
        "quickstart:targetUrl": { value: withCredentials(targetUrl, target.username, target.password), secret: true },
      },
    });

    step("pulumi up: creating the push mirror and waiting for GitLab to push");
    const up = await stack.up({ onOutput: (text) => process.stderr.write(text) });
    step(`pulumi up finished: ${JSON.stringify(up.summary.resourceChanges)}`);
    step("stack outputs:");
    for (const [name, output] of Object.entries(up.outputs)) {
      const shown = output.secret ? "[secret]" : JSON.stringify(output.value);
      process.stdout.write(`    ${name}: ${shown}\n`);
    }

    step("refs now in the mirror target (protected branches and tags: the safe defaults; feature/login stays in GitLab):");
    const refs = await listRemoteRefs(withCredentials(targetUrl, target.username, target.password));
    for (const [ref, sha] of refs) process.stdout.write(`    ${sha.slice(0, 12)} ${ref}\n`);

    step("pulumi preview: a second run has nothing to change");
    const counters = `${gitlab.baseUrl}/-/emulator/counters`;
    await fetch(counters, { method: "DELETE" });
    const preview = await stack.preview();
    const { total } = (await (await fetch(counters)).json()) as { total: number };
    step(`pulumi preview finished: ${JSON.stringify(preview.changeSummary)}, ${total} GitLab API requests`);

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
