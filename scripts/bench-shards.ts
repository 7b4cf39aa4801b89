/**
 * Measures a fleet applied as one stack against the same fleet sharded into stacks of equal size
 * (scripts/fleet-shards.ts), with the real `pulumi` CLI and a local file backend against the emulator
 * (a child process on 127.0.0.1): wall time of `up` (create all) and `destroy`, per layout and
 * checkpoint mode, each on a fresh emulator and a fresh backend.
 *
 *   npx tsc -p tsconfig.json
 *   export PULUMI_BIN_DIR=$(bash scripts/setup-pulumi.sh 2>/dev/null)
 *   node dist/scripts/bench-shards.js [mirrors=200] [--shards=10] [--parallel-stacks=4]
 *     [--checkpoints=default|skip|both] [--layouts=one,sharded]
 *
 * Mirror i goes to project fleet/p-<floor(i / 10)> (GitLab allows 10 enabled mirrors per project); a
 * shard is a group of whole projects. No mirror is ever synced, so nothing is pushed anywhere.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify as toYaml } from "yaml";
import { loadInventory } from "../cli/inventory";
import { runShards, type ShardOptions } from "./fleet-shards";
import { readCounters, ROOT_TOKEN, startEmulatorProcess } from "./bench/emulator";

const MAX_MIRRORS = 2000;
const PER_PROJECT = 10;
const SYNC_ROUTE = "POST /projects/:id/remote_mirrors/:mirror_id/sync";

type Layout = "one" | "sharded";
type CheckpointMode = "default" | "skip";

function print(line: string): void {
  process.stdout.write(`[bench-shards] ${line}\n`);
}

function readArgs(): { mirrors: number; shards: number; parallelStacks: number; modes: CheckpointMode[]; layouts: Layout[] } {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      shards: { type: "string", default: "10" },
      "parallel-stacks": { type: "string", default: "4" },
      checkpoints: { type: "string", default: "both" },
      layouts: { type: "string", default: "one,sharded" },
    },
  });
  const mirrors = Number(positionals[0] ?? 200);
  const shards = Number(values.shards);
  const parallelStacks = Number(values["parallel-stacks"]);
  const modes: CheckpointMode[] = values.checkpoints === "both" ? ["default", "skip"] : [values.checkpoints as CheckpointMode];
  const layouts = values.layouts!.split(",") as Layout[];
  const problems: string[] = [];
  if (!Number.isInteger(mirrors) || mirrors < PER_PROJECT || mirrors > MAX_MIRRORS || mirrors % PER_PROJECT !== 0) {
    problems.push(`mirrors must be a multiple of ${PER_PROJECT} from ${PER_PROJECT} to ${MAX_MIRRORS} (bounded on purpose), not ${positionals[0]}`);
  }
  if (!Number.isInteger(shards) || shards < 1 || (mirrors / PER_PROJECT) % shards !== 0) problems.push(`--shards must divide the ${mirrors / PER_PROJECT} projects evenly, not ${values.shards}`);
  if (!Number.isInteger(parallelStacks) || parallelStacks < 1) problems.push(`--parallel-stacks must be a whole number from 1`);
  if (!modes.every((m) => m === "default" || m === "skip")) problems.push("--checkpoints must be default, skip or both");
  if (!layouts.every((l) => l === "one" || l === "sharded")) problems.push("--layouts lists one and/or sharded");
  if (problems.length > 0) throw new Error(problems.join("; "));
  return { mirrors, shards, parallelStacks, modes, layouts };
}

/** An inventory of `mirrors` targets over projects fleet/p-<k>, in `groups` groups of whole projects. */
function fleetInventory(mirrors: number, groups: number): string {
  const projects = mirrors / PER_PROJECT;
  const perGroup = projects / groups;
  const inventory = {
    defaults: { credentials: "bench-bot" },
    groups: Object.fromEntries(
      Array.from({ length: groups }, (_, g) => [
        groups === 1 ? "fleet" : `shard-${g}`,
        {
          projects: Object.fromEntries(
            Array.from({ length: perGroup }, (_, j) => {
              const k = g * perGroup + j;
              const targets = Array.from({ length: PER_PROJECT }, (_, t) => ({ url: `https://mirror.example.com/fleet/app-${k * PER_PROJECT + t}.git` }));
              return [`fleet/p-${k}`, { targets }];
            }),
          ),
        },
      ]),
    ),
  };
  return toYaml(inventory);
}

/** Runs up then destroy of one layout; returns their wall times in seconds. */
async function measure(
  layout: Layout,
  mode: CheckpointMode,
  args: ReturnType<typeof readArgs>,
  scratch: string,
): Promise<{ up: number; destroy: number }> {
  const groups = layout === "one" ? 1 : args.shards;
  const runDir = path.join(scratch, `${layout}-${mode}`);
  const emulator = await startEmulatorProcess(args.mirrors, path.join(runDir, "emulator"));
  const inventoryFile = path.join(runDir, "inventory.yaml");
  fs.writeFileSync(inventoryFile, fleetInventory(args.mirrors, groups));
  const credentials = { "bench-bot": { username: "bench-bot", password: "bench-shards-target-token" } };
  const byGroup = loadInventory(fs.readFileSync(inventoryFile, "utf8"), inventoryFile, new Set(Object.keys(credentials)));
  const label = `${groups} stack${groups === 1 ? "" : "s"} of ${args.mirrors / groups}, ${mode === "skip" ? "PULUMI_SKIP_CHECKPOINTS=true" : "default checkpoints"}`;
  const seconds: Record<string, number> = {};
  try {
    for (const operation of ["up", "destroy"] as const) {
      const options: ShardOptions = {
        operation,
        inventoryFile,
        gitlabUrl: emulator.baseUrl,
        token: ROOT_TOKEN,
        credentials,
        stateDir: path.join(runDir, "pulumi"),
        parallelStacks: args.parallelStacks,
        skipCheckpoints: mode === "skip",
        verbose: false,
      };
      const started = process.hrtime.bigint();
      const results = await runShards(options, byGroup);
      seconds[operation] = Number(process.hrtime.bigint() - started) / 1e9;
      const failed = results.filter((r) => !r.ok);
      if (failed.length > 0) throw new Error(`${label}: ${operation} failed in ${failed.map((r) => `${r.group} (${r.error})`).join(", ")}`);
      const op = operation === "up" ? "create" : "delete";
      const done = results.reduce((n, r) => n + (r.changes[op] ?? 0), 0);
      const routes = (await readCounters(emulator.baseUrl)).routes;
      if ((routes[SYNC_ROUTE] ?? 0) > 0) throw new Error(`${label}: a mirror was synced; the bench must never push`);
      if (done !== args.mirrors) throw new Error(`${label}: ${operation} did ${done} ${op}s, expected ${args.mirrors}`);
      print(`${label}: ${operation} ${seconds[operation].toFixed(1)} s (${(args.mirrors / seconds[operation]).toFixed(1)} mirrors/s), ${done} ${op}d; load ${os.loadavg()[0].toFixed(2)}`);
    }
  } finally {
    await emulator.stop();
  }
  return { up: seconds.up, destroy: seconds.destroy };
}

async function main(): Promise<void> {
  const args = readArgs();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-bench-shards-"));
  print(`${args.mirrors} mirrors, as 1 stack vs ${args.shards} stacks of ${args.mirrors / args.shards} (${args.parallelStacks} at a time); ${os.cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const rows: string[] = [];
  try {
    for (const mode of args.modes) {
      for (const layout of args.layouts) {
        const { up, destroy } = await measure(layout, mode, args, scratch);
        rows.push(`| ${layout === "one" ? "1 stack" : `${args.shards} stacks`} | ${mode === "skip" ? "skip" : "default"} | ${up.toFixed(1)} | ${destroy.toFixed(1)} |`);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  print(`done ${new Date().toISOString()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  process.stdout.write(["| layout | checkpoints | up (s) | destroy (s) |", "|---|---|---|---|", ...rows].join("\n") + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench-shards] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
