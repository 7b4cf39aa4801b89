/**
 * Runs one Pulumi operation on a program in a process of its own and prints the result as
 * one JSON line on stdout (engine output goes to stderr): harness/automation-stack.ts's AutomationStack
 * runs every operation through it. The end-to-end tests use it so that
 * the program, and the closure serialization of its dynamic provider, run in plain Node.js,
 * as under `pulumi up`, rather than inside jest's module sandbox.
 *
 *   node dist/scripts/stack-cli.js <up|preview|refresh|destroy|export> --program FILE
 *     --project NAME --stack NAME --state-dir DIR --config-file FILE
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, promisify } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { pulumiBinDir } from "../harness/pulumi-cli";
import { ConfigEntry, openStack } from "../harness/automation-stack";
import type { Operation } from "../harness/stack-driver";

const execFileAsync = promisify(execFile);
const OPERATIONS: readonly Operation[] = ["up", "preview", "refresh", "destroy", "export"];

async function run(): Promise<unknown> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      program: { type: "string" },
      project: { type: "string" },
      stack: { type: "string" },
      "state-dir": { type: "string" },
      "config-file": { type: "string" },
    },
  });
  const operation = positionals[0] as Operation;
  if (!OPERATIONS.includes(operation)) throw new Error(`operation must be one of ${OPERATIONS.join(", ")}`);
  for (const name of ["program", "project", "stack", "state-dir", "config-file"] as const) {
    if (!values[name]) throw new Error(`--${name} is required`);
  }
  const config = JSON.parse(fs.readFileSync(values["config-file"]!, "utf8")) as Record<string, ConfigEntry>;
  const stack = await openStack({
    programPath: values.program!,
    projectName: values.project!,
    stackName: values.stack!,
    stateDir: values["state-dir"]!,
    config,
  });
  const onOutput = (text: string) => process.stderr.write(text);
  switch (operation) {
    case "up": {
      const result = await stack.up({ onOutput });
      return { changes: result.summary.resourceChanges, outputs: result.outputs };
    }
    case "preview": {
      const result = await stack.preview({ onOutput });
      return { changes: result.changeSummary };
    }
    case "refresh": {
      const result = await stack.refresh({ onOutput });
      return { changes: result.summary.resourceChanges, outputs: await stack.outputs() };
    }
    case "destroy": {
      const result = await stack.destroy({ onOutput });
      return { changes: result.summary.resourceChanges };
    }
    case "export": {
      // The CLI's own `pulumi stack export`: the Automation API's exportStack() adds --show-secrets.
      const workspace = stack.workspace as LocalWorkspace;
      const { stdout } = await execFileAsync(path.join(pulumiBinDir(), "pulumi"), ["stack", "export", "--stack", stack.name], {
        cwd: workspace.workDir,
        env: { ...process.env, ...workspace.envVars, PULUMI_HOME: workspace.pulumiHome ?? "" },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { deployment: JSON.parse(stdout) as unknown };
    }
  }
}

run().then(
  (result) => process.stdout.write(`${JSON.stringify({ ok: true, ...(result as object) })}\n`),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })}\n`);
  },
);
