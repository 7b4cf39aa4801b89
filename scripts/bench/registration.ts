/**
 * What one RemoteMirror registration costs in the program process of the dynamic path, measured in a
 * fresh process (registration-child.ts) so that nothing is already loaded: the SDK's load, the
 * provider's serialization, and the stack-trace capture every registration makes.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../harness/pulumi-cli";

export interface RegistrationCost {
  sourceMapSupportMs: number;
  pulumiSdkMs: number;
  gitlabMirrorsMs: number;
  serializeProviderMs: number;
  stackCapturePerCallMs: number;
}

const RUNS = 3;

/** The median of RUNS fresh processes, each capturing `calls` stacks. */
export async function measureRegistration(calls: number): Promise<RegistrationCost> {
  const runs: RegistrationCost[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot, "dist", "scripts", "bench", "registration-child.js"), String(calls)], {
      cwd: repoRoot,
      timeout: 120_000,
    });
    runs.push(JSON.parse(stdout) as RegistrationCost);
  }
  const median = (key: keyof RegistrationCost): number => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  return {
    sourceMapSupportMs: median("sourceMapSupportMs"),
    pulumiSdkMs: median("pulumiSdkMs"),
    gitlabMirrorsMs: median("gitlabMirrorsMs"),
    serializeProviderMs: median("serializeProviderMs"),
    stackCapturePerCallMs: median("stackCapturePerCallMs"),
  };
}

export function printRegistration(cost: RegistrationCost, print: (line: string) => void): void {
  print(
    `a dynamic-path program, in a fresh process (median of ${RUNS}): load source-map-support ${cost.sourceMapSupportMs.toFixed(0)} ms, ` +
      `@pulumi/pulumi ${cost.pulumiSdkMs.toFixed(0)} ms, gitlab-mirrors ${cost.gitlabMirrorsMs.toFixed(0)} ms; ` +
      `serialize the provider once ${cost.serializeProviderMs.toFixed(0)} ms; ` +
      `capture and source-map one registration's stack ${cost.stackCapturePerCallMs.toFixed(2)} ms`,
  );
}
