/**
 * Measures both ways of consuming the provider at scale against the local GitLab emulator, each beside
 * an engine floor, in one invocation and interleaved phase by phase:
 *
 *   dynamic   examples/fleet (the dynamic provider) as a JavaScript program run by `pulumi up`
 *   plugin    the same fleet as a YAML program of the repository's source plugin (`packages:`)
 *   sets      the same fleet as one ProjectMirrors per project (10 mirrors each), a YAML program of the plugin
 *   inline    examples/fleet run inline by the Automation API, in this process (no program start-up)
 *
 * and for each, its floor: the same N resources of a no-op provider of the same kind (a no-op
 * `pulumi.dynamic.Resource`; a no-op resource of harness/bench/noop-plugin, per mirror or per project). Phases: up (create N),
 * preview (no change), refresh, up (disable all: N updates), destroy. Per phase and path: wall time, the
 * floor's, the ratio, API requests by route, peak RSS and CPU per process, state bytes per mirror.
 *
 *   npx tsc -p tsconfig.json
 *   export PULUMI_BIN_DIR=$(bash scripts/setup-pulumi.sh 2>/dev/null)
 *   node dist/scripts/bench-fleet.js [count=200] [--checkpoints=default|skip|both] [--paths=dynamic,plugin,inline]
 *        [--rounds=1] [--floor-state=inputs|plugin] [--profile] [--keep]
 *
 * `--checkpoints=skip` sets PULUMI_SKIP_CHECKPOINTS=true (the file backend then writes the state once at
 * the end instead of on every step); `both` runs everything twice, on fresh emulators and backends.
 * `--rounds=K` runs everything K times (fresh emulators and backends each round) and summarises each phase
 * by the median of ours and of the floor, with the range of the rounds' ratios: on a shared machine one
 * round's ratio can move by a third.
 * `--floor-state=plugin` makes the plugin path's floor record what our plugin records (the same inputs and
 * outputs, placeholder values) instead of echoing its inputs: a diagnostic, not the goals' floor. What is
 * left of a gap against it is our process's own work, not the engine's cost of the state we keep.
 * `--profile` adds CPU profiles of the program processes (preview and up) and a gRPC run of each provider
 * host in isolation (per-call cost and bytes of Check, Diff and the CRUD calls).
 *
 * No mirror is ever synced (syncOnApply is false and the bench fails if any sync request is seen), so
 * the emulator pushes nothing; it listens on 127.0.0.1 and every request goes there.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs as parseCommandLine } from "node:util";
import { CliStack } from "../harness/cli-stack";
import type { ConfigEntry, StackDriver } from "../harness/stack-driver";
import { Counters, Emulator, readCounters, resetCounters, ROOT_TOKEN, startEmulatorProcess } from "./bench/emulator";
import { measureGrpcCalls, printGrpcCalls } from "./bench/grpc-calls";
import { NOOP_PACKAGE, NOOP_STATE_ENV, noopStateFrom, type NoopState } from "../harness/bench/noop-plugin/provider";
import { ProcessSampler, ProcessUsage } from "./bench/processes";
import { measureRegistration, printRegistration } from "./bench/registration";
import { analyseProfiles, printProfile, ProfileAnalysis } from "../harness/bench/profile";
import { FLEET_PROJECT, PER_PROJECT, writeNodeProject, writeYamlProject } from "../harness/bench/programs";
import { measureState, StateSize } from "./bench/state";
import { pulumiBinDir, repoRoot } from "../harness/pulumi-cli";
import { InlineStack } from "../harness/automation-stack";

const MAX_COUNT = 2000;
const MAX_ROUNDS = 9;
const STACK = "bench";
const SYNC_ROUTE = "POST /projects/:id/remote_mirrors/:mirror_id/sync";
/** The engine counts the stack itself in its change summaries. */
const STACK_RESOURCE = 1;
const TARGET_TOKEN = "fleet-bench-target-token";
/** Per-call costs settle long before this many mirrors. */
const GRPC_CALLS_MAX = 200;
/** Shorter profiles are probes, not the process that ran the phase. */
const MIN_PROFILE_MS = 500;
const PATHS = ["dynamic", "plugin", "sets", "inline"] as const;
const PHASES = ["up", "preview", "refresh", "disable", "destroy"] as const;

type PathName = (typeof PATHS)[number];
type PhaseName = (typeof PHASES)[number];
type CheckpointMode = "default" | "skip";

interface Args {
  count: number;
  modes: CheckpointMode[];
  paths: PathName[];
  rounds: number;
  floorState: NoopState;
  profile: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      checkpoints: { type: "string", default: "both" },
      paths: { type: "string", default: "dynamic,plugin,inline" },
      rounds: { type: "string", default: "1" },
      "floor-state": { type: "string", default: "inputs" },
      profile: { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
    },
  });
  const count = Number(positionals[0] ?? 200);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new Error(`count must be an integer from 1 to ${MAX_COUNT} (bounded on purpose), not ${positionals[0]}`);
  }
  const modes: Record<string, CheckpointMode[]> = { default: ["default"], skip: ["skip"], both: ["default", "skip"] };
  if (!(values.checkpoints! in modes)) throw new Error(`--checkpoints must be default, skip or both, not ${values.checkpoints}`);
  const paths = values.paths!.split(",").map((p) => p.trim());
  for (const p of paths) if (!(PATHS as readonly string[]).includes(p)) throw new Error(`--paths takes ${PATHS.join(", ")}, not ${p}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new Error(`--rounds must be an integer from 1 to ${MAX_ROUNDS}, not ${values.rounds}`);
  const floorState = noopStateFrom(values["floor-state"], "--floor-state");
  return { count, modes: modes[values.checkpoints!], paths: paths as PathName[], rounds, floorState, profile: values.profile!, keep: values.keep! };
}

function print(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// One stack: ours or its floor, on one path, driven through its phases as a StackDriver.

interface StackRunner {
  readonly label: string;
  readonly path: PathName;
  readonly floor: boolean;
  readonly emulator: Emulator | undefined;
  readonly stateFile: string;
  /** Prepared (created, its config set) before any phase is timed. */
  readonly stack: StackDriver;
}

/**
 * The stack's config: the fleet's (a JavaScript program also reads its size from it; a YAML program is
 * generated at its size), and the GitLab connection under `connection`'s namespace, when it has one.
 */
function fleetConfig(count: number, program: "node" | "yaml", connection: { namespace: "gitlab" | "gitlab-mirrors"; emulator: Emulator } | undefined) {
  const config: Record<string, ConfigEntry> = {
    [`${FLEET_PROJECT}:enabled`]: { value: "true" },
    [`${FLEET_PROJECT}:targetToken`]: { value: TARGET_TOKEN, secret: true },
  };
  if (program === "node") {
    config[`${FLEET_PROJECT}:count`] = { value: String(count) };
    config[`${FLEET_PROJECT}:perProject`] = { value: String(PER_PROJECT) };
  }
  if (connection !== undefined) {
    config[`${connection.namespace}:baseUrl`] = { value: connection.emulator.baseUrl };
    config[`${connection.namespace}:token`] = { value: ROOT_TOKEN, secret: true };
  }
  return config;
}

/** A project directory run by the `pulumi` CLI (harness/cli-stack.ts). */
async function cliRunner(
  label: string,
  pathName: PathName,
  floor: boolean,
  dir: string,
  count: number,
  mode: CheckpointMode,
  emulator: Emulator | undefined,
  floorState: NoopState,
): Promise<StackRunner> {
  const projectDir = path.join(dir, "project");
  const dist = path.join(repoRoot, "dist");
  if (pathName === "plugin" || pathName === "sets") {
    writeYamlProject(projectDir, {
      sets: pathName === "sets",
      packageName: floor ? NOOP_PACKAGE : "gitlab-mirrors",
      pluginDir: floor ? path.join(repoRoot, "harness", "bench", "noop-plugin") : repoRoot,
      count,
    });
  } else {
    const program = floor ? path.join(dist, "scripts", "bench", "noop-dynamic.js") : path.join(dist, "examples", "fleet", "index.js");
    writeNodeProject(projectDir, program, path.join(repoRoot, "node_modules"));
  }
  const env: Record<string, string> = mode === "skip" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
  if (floor && pathName === "plugin") env[NOOP_STATE_ENV] = floorState;
  const yaml = pathName === "plugin" || pathName === "sets";
  const namespace = yaml ? "gitlab-mirrors" : "gitlab";
  const config = fleetConfig(count, yaml ? "yaml" : "node", emulator === undefined ? undefined : { namespace, emulator });
  const stack = new CliStack({ projectDir, binDir: pulumiBinDir(), env, passphrase: "gitlab-mirrors-bench", stack: STACK, config, timeoutMs: 0 });
  await stack.prepare();
  return { label, path: pathName, floor, emulator, stateFile: stack.stateFile(FLEET_PROJECT, STACK), stack };
}

/** examples/fleet (or its floor) run inline by the Automation API in this process (harness/automation-stack.ts). */
async function inlineRunner(label: string, floor: boolean, dir: string, count: number, mode: CheckpointMode, emulator: Emulator | undefined): Promise<StackRunner> {
  const logFile = path.join(dir, "pulumi.log");
  const stack = new InlineStack(
    {
      programPath: floor ? path.join(repoRoot, "dist", "scripts", "bench", "noop-dynamic.js") : path.join(repoRoot, "dist", "examples", "fleet", "index.js"),
      projectName: FLEET_PROJECT,
      stackName: STACK,
      stateDir: path.join(dir, "pulumi"),
      env: mode === "skip" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {},
      onOutput: (text) => fs.appendFileSync(logFile, text),
    },
    fleetConfig(count, "node", emulator === undefined ? undefined : { namespace: "gitlab", emulator }),
  );
  await stack.prepare();
  return { label, path: "inline", floor, emulator, stateFile: stack.stateFile, stack };
}

/** Runs one phase: the disable phase is the fleet's `enabled` config set to false, then `up`. */
async function runStackPhase(stack: StackDriver, phase: PhaseName, env: Record<string, string>): Promise<Record<string, number>> {
  if (phase === "disable") stack.config = { ...stack.config, [`${FLEET_PROJECT}:enabled`]: { value: "false" } };
  // Outputs are not read: the phase is the operation alone.
  const result = await stack.expectOk(phase === "disable" ? "up" : phase, { env, outputs: false });
  return result.changes ?? {};
}

// ---------------------------------------------------------------------------------------------
// Phases.

interface PhaseResult {
  seconds: number;
  changes: Record<string, number>;
  counters: Counters | undefined;
  peakMb: Record<string, number>;
  cpuSeconds: Record<string, number>;
  state: StateSize | undefined;
}

/** The resources that hold N mirrors on a path: one per mirror, or one per project for sets. */
function resourceCount(pathName: PathName, count: number): number {
  return pathName === "sets" ? Math.ceil(count / PER_PROJECT) : count;
}

/** What each phase must do to the resources holding N mirrors, beside the stack itself. */
function expectChanges(phase: PhaseName, changes: Record<string, number>, resources: number): void {
  const expected: Record<PhaseName, [string, number] | undefined> = {
    up: ["create", resources + STACK_RESOURCE],
    preview: ["same", resources + STACK_RESOURCE],
    refresh: undefined,
    disable: ["update", resources],
    destroy: ["delete", resources + STACK_RESOURCE],
  };
  const want = expected[phase];
  if (want !== undefined && (changes[want[0]] ?? 0) !== want[1]) {
    throw new Error(`${phase}: expected ${want[1]} ${want[0]}, got ${JSON.stringify(changes)}`);
  }
}

async function runPhase(runner: StackRunner, phase: PhaseName, count: number, idlePids: Set<number>, env: Record<string, string>): Promise<PhaseResult & { pids: Map<number, string> }> {
  const { emulator } = runner;
  if (emulator !== undefined) await resetCounters(emulator.baseUrl);
  const sampler = new ProcessSampler(emulator?.pid, new Set([...idlePids].filter((pid) => pid !== emulator?.pid)));
  const started = process.hrtime.bigint();
  let changes: Record<string, number>;
  let usage: ProcessUsage;
  try {
    changes = await runStackPhase(runner.stack, phase, env);
  } finally {
    // Stopped on failure too, or its timer keeps the process alive.
    usage = sampler.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  expectChanges(phase, changes, resourceCount(runner.path, count));
  const counters = emulator === undefined ? undefined : await readCounters(emulator.baseUrl);
  if ((counters?.routes[SYNC_ROUTE] ?? 0) > 0) throw new Error(`${runner.label} ${phase}: ${counters!.routes[SYNC_ROUTE]} sync requests; the fleet must never sync`);
  return { seconds, changes, counters, peakMb: usage.peakMb, cpuSeconds: usage.cpuSeconds, pids: usage.kinds, state: phase === "destroy" ? undefined : measureState(runner.stateFile, count) };
}

/**
 * The profile of the process that did the phase's work, per kind: the language host also starts short
 * probes (`node -e require.resolve(...)`), and a plugin the engine kills writes no profile at all.
 */
function longestPerKind(analyses: ProfileAnalysis[]): ProfileAnalysis[] {
  const longest = new Map<string, ProfileAnalysis>();
  for (const analysis of analyses) {
    const known = longest.get(analysis.kind);
    if (known === undefined || analysis.totalMs > known.totalMs) longest.set(analysis.kind, analysis);
  }
  return [...longest.values()].filter((analysis) => analysis.totalMs >= MIN_PROFILE_MS);
}

function formatRoutes(counters: Counters | undefined, count: number): string {
  if (counters === undefined) return "-";
  const routes = Object.entries(counters.routes)
    .sort(([, a], [, b]) => b - a)
    .map(([route, n]) => `${route} ${n}`);
  return `${counters.total} (${(counters.total / count).toFixed(2)}/mirror)${routes.length > 0 ? `: ${routes.join(", ")}` : ""}`;
}

function formatByKind(values: Record<string, number>, unit: string, digits: number): string {
  return Object.entries(values)
    .filter(([, value]) => value > 0)
    .map(([kind, value]) => `${kind} ${value.toFixed(digits)}${unit}`)
    .join(", ");
}

function formatState(state: StateSize | undefined, count: number): string {
  if (state === undefined || state.mirrors === 0) return "no mirrors in state";
  const m = state.perMirror;
  return (
    `state ${(state.fileBytes / count).toFixed(0)} B/mirror on disk; one mirror ${m.total.toFixed(0)} B JSON, ` +
    `${m.withoutTrace.toFixed(0)} B without stackTrace/sourcePosition` +
    (m.provider > 0 ? `, __provider ${m.provider.toFixed(0)} B (${((m.provider * 100) / m.total).toFixed(0)}%)` : "")
  );
}

interface Row {
  mode: CheckpointMode;
  path: PathName;
  phase: PhaseName;
  ours: PhaseResult;
  floor: PhaseResult;
}

async function runMode(args: Args, mode: CheckpointMode, scratch: string): Promise<Row[]> {
  const { count } = args;
  const modeDir = path.join(scratch, mode);
  const emulators: Emulator[] = [];
  const rows: Row[] = [];
  try {
    const pairs: { ours: StackRunner; floor: StackRunner }[] = [];
    for (const p of args.paths) {
      const emulator = await startEmulatorProcess(count, path.join(modeDir, p, "emulator"));
      emulators.push(emulator);
      const open = (floor: boolean) => {
        const label = `${p}${floor ? " floor" : ""}`;
        const dir = path.join(modeDir, p, floor ? "floor" : "ours");
        return p === "inline" ? inlineRunner(label, floor, dir, count, mode, floor ? undefined : emulator) : cliRunner(label, p, floor, dir, count, mode, floor ? undefined : emulator, args.floorState);
      };
      pairs.push({ ours: await open(false), floor: await open(true) });
    }
    const idlePids = new Set(emulators.map((e) => e.pid));
    const tag = mode === "skip" ? "PULUMI_SKIP_CHECKPOINTS=true" : "checkpoints on";
    const floorNote = args.floorState === "plugin" && args.paths.includes("plugin") ? " (the plugin floor records our plugin's inputs and outputs)" : "";
    print(`${tag}: ${args.paths.join(", ")}, ${count} mirrors over ${Math.ceil(count / PER_PROJECT)} projects${floorNote}; scratch ${modeDir}`);
    for (const phase of PHASES) {
      for (const { ours, floor } of pairs) {
        const profileEnv = (runner: StackRunner): Record<string, string> =>
          args.profile && !runner.floor && runner.path !== "inline" && (phase === "up" || phase === "preview")
            ? {
                NODE_OPTIONS: `--require ${path.join(repoRoot, "dist", "scripts", "bench", "cpu-profile.js")}`,
                GITLAB_MIRRORS_BENCH_PROFILE_DIR: path.join(scratch, "profiles", mode, runner.path, phase),
              }
            : {};
        const oursResult = await runPhase(ours, phase, count, idlePids, profileEnv(ours));
        const floorResult = await runPhase(floor, phase, count, idlePids, {});
        if (args.profile && Object.keys(profileEnv(ours)).length > 0) {
          const dir = path.join(scratch, "profiles", mode, ours.path, phase);
          for (const analysis of longestPerKind(analyseProfiles(dir, oursResult.pids))) printProfile(`${mode} ${ours.path} ${phase}`, analysis, count, print);
        }
        rows.push({ mode, path: ours.path, phase, ours: oursResult, floor: floorResult });
        print(
          `${mode === "skip" ? "[skip] " : ""}${phase.padEnd(7)} ${ours.path.padEnd(7)} ${oursResult.seconds.toFixed(1)} s, floor ${floorResult.seconds.toFixed(1)} s, ` +
            `×${(oursResult.seconds / floorResult.seconds).toFixed(2)}; changes ${JSON.stringify(oursResult.changes)}; API ${formatRoutes(oursResult.counters, count)}`,
        );
        print(`        peak RSS ${formatByKind(oursResult.peakMb, " MB", 0)} (floor: ${formatByKind(floorResult.peakMb, " MB", 0)})`);
        print(`        CPU ${formatByKind(oursResult.cpuSeconds, " s", 1)} (floor: ${formatByKind(floorResult.cpuSeconds, " s", 1)})`);
        if (phase === "up") print(`        ${formatState(oursResult.state, count)} (floor: ${formatState(floorResult.state, count)})`);
      }
    }
  } finally {
    for (const emulator of emulators) await emulator.stop();
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One cell of the summary: medians over the rounds, their ratio, and the range of the rounds' ratios. */
function summaryCell(rows: Row[]): string {
  if (rows.length === 0) return "-";
  const ours = median(rows.map((r) => r.ours.seconds));
  const floor = median(rows.map((r) => r.floor.seconds));
  const ratios = rows.map((r) => r.ours.seconds / r.floor.seconds);
  const range = rows.length > 1 ? ` ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}` : "";
  return `${ours.toFixed(1)} / ${floor.toFixed(1)} (×${(ours / floor).toFixed(2)}${range})`;
}

function printTable(rows: Row[], { count, rounds, floorState }: Args): void {
  print(
    `summary, ${count} mirrors: wall seconds, ours / floor (ratio)` +
      (rounds > 1 ? `, medians of ${rounds} rounds (ratio of the medians, then the rounds' lowest and highest ratio)` : "") +
      (floorState === "plugin" ? "; the plugin floor records our plugin's inputs and outputs" : ""),
  );
  const modes = [...new Set(rows.map((r) => r.mode))];
  const paths = [...new Set(rows.map((r) => r.path))];
  for (const mode of modes) {
    print(`  ${mode === "skip" ? "PULUMI_SKIP_CHECKPOINTS=true" : "checkpoints on"}`);
    const width = rounds > 1 ? 36 : 26;
    print(`  ${"phase".padEnd(8)}${paths.map((p) => p.padEnd(width)).join("")}`);
    for (const phase of PHASES) {
      const cells = paths.map((p) => summaryCell(rows.filter((r) => r.mode === mode && r.path === p && r.phase === phase)).padEnd(width));
      print(`  ${phase.padEnd(8)}${cells.join("")}`);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-bench-fleet-"));
  print(`${args.count} mirrors, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}, node ${process.version}, ${new Date().toISOString()}`);
  try {
    const rows: Row[] = [];
    for (let round = 1; round <= args.rounds; round += 1) {
      if (args.rounds > 1) print(`round ${round} of ${args.rounds}`);
      for (const mode of args.modes) rows.push(...(await runMode(args, mode, path.join(scratch, `round-${round}`))));
    }
    printTable(rows, args);
    if (args.profile) {
      printGrpcCalls(await measureGrpcCalls(Math.min(args.count, GRPC_CALLS_MAX), path.join(scratch, "grpc")), print);
      printRegistration(await measureRegistration(args.count), print);
    }
  } finally {
    if (args.keep) print(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
  print(`load at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
