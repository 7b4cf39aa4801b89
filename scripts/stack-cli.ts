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
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigEntry, exportStoredState, openStack } from "../harness/automation-stack";
import type { Operation } from "../harness/stack-driver";

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
    case "export":
      return { deployment: await exportStoredState(stack) };
  }
}

run().then(
  (result) => process.stdout.write(`${JSON.stringify({ ok: true, ...(result as object) })}\n`),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })}\n`);
  },
);
