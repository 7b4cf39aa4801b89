/**
 * Measures the provider at scale: examples/fleet (N mirrors over N/10 projects) run by the real
 * `pulumi` CLI against the local GitLab emulator, phase by phase: up (create), preview, refresh,
 * up (disable all), destroy. For each phase: wall time, mirrors/s, GitLab API requests by route,
 * peak RSS and CPU time of the bench process (the Pulumi program runs in it), the engine, the
 * dynamic provider host and the emulator, and the size of the state file.
 *
 *   npx tsc -p tsconfig.json
 *   export PULUMI_BIN_DIR=$(bash scripts/setup-pulumi.sh 2>/dev/null)
 *   node dist/scripts/bench-fleet.js [count=200] [--checkpoints=default|skip|both] [--verbose] [--keep]
 *
 * `--checkpoints=skip` sets PULUMI_SKIP_CHECKPOINTS=true (the file backend then writes the state
 * once at the end instead of on every resource step); `both` runs the whole sequence twice, with
 * and without, on a fresh emulator and a fresh backend each time.
 *
 * No mirror is ever synced (syncOnApply stays false and the bench fails if any sync request is
 * seen), so the emulator pushes nothing and nothing leaves the machine: the emulator listens on
 * 127.0.0.1 and every request goes there.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import type { EmulatorSeed } from "../emulator";
import { repoRoot } from "./lib/pulumi-cli";
import { openExampleStack } from "./lib/stack";

const MAX_COUNT = 2000;
const PER_PROJECT = 10;
const STACK = "bench";
const ROOT_TOKEN = "glpat-fleet-bench-root-token";
const SYNC_ROUTE = "POST /projects/:id/remote_mirrors/:mirror_id/sync";
const SAMPLE_EVERY_MS = 200;
/** The engine counts the stack itself in its change summaries. */
const STACK_RESOURCE = 1;

type CheckpointMode = "default" | "skip";

interface Args {
  count: number;
  modes: CheckpointMode[];
  verbose: boolean;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 200, modes: ["default"], verbose: false, keep: false };
  for (const arg of argv) {
    if (arg === "--verbose") args.verbose = true;
    else if (arg === "--keep") args.keep = true;
    else if (arg.startsWith("--checkpoints=")) {
      const mode = arg.slice("--checkpoints=".length);
      if (mode === "both") args.modes = ["default", "skip"];
      else if (mode === "default" || mode === "skip") args.modes = [mode];
      else throw new Error(`--checkpoints must be default, skip or both, not ${mode}`);
    } else if (/^\d+$/.test(arg)) args.count = Number(arg);
    else throw new Error(`unknown argument ${arg}`);
  }
  if (args.count < 1 || args.count > MAX_COUNT) throw new Error(`count must be from 1 to ${MAX_COUNT} (bounded on purpose), not ${args.count}`);
  return args;
}

function print(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// The emulator, as a child process so that its memory and CPU are not counted as the program's.

interface Emulator {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

function fleetSeed(count: number): EmulatorSeed {
  const projects = Math.ceil(count / PER_PROJECT);
  return {
    users: [{ username: "root", admin: true, tokens: [{ token: ROOT_TOKEN, scopes: ["api"] }] }],
    projects: Array.from({ length: projects }, (_, k) => ({ id: k + 1, path: `fleet/p-${k}`, visibility: "private" as const })),
  };
}

async function startEmulatorProcess(seed: EmulatorSeed, dir: string, logFile: string): Promise<Emulator> {
  fs.mkdirSync(dir, { recursive: true });
  const seedFile = path.join(dir, "seed.json");
  fs.writeFileSync(seedFile, JSON.stringify(seed));
  const log = fs.openSync(logFile, "a");
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, "dist", "emulator", "cli.js"), "--host", "127.0.0.1", "--port", "0", "--seed", seedFile, "--data-dir", path.join(dir, "data")],
    { stdio: ["ignore", "pipe", log] },
  );
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline >= 0) resolve(buffered.slice(0, newline).trim());
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before listening (see ${logFile})`)));
  });
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`the emulator is not on loopback: ${baseUrl}`);
  return {
    baseUrl,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

interface Counters {
  total: number;
  routes: Record<string, number>;
}

async function readCounters(baseUrl: string): Promise<Counters> {
  const response = await fetch(`${baseUrl}/-/emulator/counters`);
  if (!response.ok) throw new Error(`GET counters: ${response.status}`);
  return (await response.json()) as Counters;
}

async function resetCounters(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/-/emulator/counters`, { method: "DELETE" });
  if (response.status !== 204) throw new Error(`DELETE counters: ${response.status}`);
}

// ---------------------------------------------------------------------------------------------
// Memory and CPU: the bench process exactly, its descendants by sampling /proc.

/** Kind of a process, for grouping: the engine, the dynamic provider host, the emulator, or other. */
function kindOf(pid: number, comm: string, cmdline: string, emulatorPid: number): string {
  if (pid === emulatorPid) return "emulator";
  if (comm === "pulumi") return "engine";
  if (cmdline.includes("dynamic-provider")) return "provider host";
  // The kernel truncates names to 15 characters.
  if (comm.startsWith("pulumi-lang")) return "language host";
  return "other";
}

interface ProcStat {
  ppid: number;
  comm: string;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const open = text.indexOf("(");
    const close = text.lastIndexOf(")");
    const rest = text.slice(close + 2).split(" ");
    // Fields after the name: state(3) ppid(4) ... utime(14) stime(15).
    return { comm: text.slice(open + 1, close), ppid: Number(rest[1]), cpuTicks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return undefined;
  }
}

function readHighWaterKb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function readCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

const TICKS_PER_SECOND = 100;

/** Peak RSS (VmHWM) and CPU seconds per process kind during one phase, sampled every SAMPLE_EVERY_MS. */
class ProcessSampler {
  private readonly peakKb = new Map<string, number>();
  private readonly firstTicks = new Map<number, number>();
  private readonly lastTicks = new Map<number, { kind: string; ticks: number }>();
  private benchPeakRssBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly benchCpuStart = process.cpuUsage();

  constructor(private readonly emulatorPid: number) {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
  }

  private sample(): void {
    this.benchPeakRssBytes = Math.max(this.benchPeakRssBytes, process.memoryUsage.rss());
    const children = new Map<number, number[]>();
    const stats = new Map<number, ProcStat>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const stat = readStat(pid);
      if (stat === undefined) continue;
      stats.set(pid, stat);
      children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
    }
    const queue = [...(children.get(process.pid) ?? [])];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      queue.push(...(children.get(pid) ?? []));
      const stat = stats.get(pid)!;
      // A process may exec (the plugin's sh wrapper becomes node); an exiting one has an empty cmdline.
      const cmdline = readCmdline(pid);
      const previous = this.lastTicks.get(pid)?.kind;
      const kind = cmdline === "" && previous !== undefined ? previous : kindOf(pid, stat.comm, cmdline, this.emulatorPid);
      this.peakKb.set(kind, Math.max(this.peakKb.get(kind) ?? 0, readHighWaterKb(pid)));
      if (!this.firstTicks.has(pid)) this.firstTicks.set(pid, pid === this.emulatorPid ? stat.cpuTicks : 0);
      this.lastTicks.set(pid, { kind, ticks: stat.cpuTicks });
    }
  }

  /** Stops sampling. The emulator's VmHWM is its lifetime peak; the others are born in the phase. */
  stop(): { peakMb: Record<string, number>; cpuSeconds: Record<string, number> } {
    clearInterval(this.timer);
    this.sample();
    const benchCpu = process.cpuUsage(this.benchCpuStart);
    const cpuSeconds: Record<string, number> = { bench: (benchCpu.user + benchCpu.system) / 1e6 };
    for (const [pid, { kind, ticks }] of this.lastTicks) {
      cpuSeconds[kind] = (cpuSeconds[kind] ?? 0) + (ticks - (this.firstTicks.get(pid) ?? 0)) / TICKS_PER_SECOND;
    }
    const peakMb: Record<string, number> = { bench: this.benchPeakRssBytes / 2 ** 20 };
    for (const [kind, kb] of this.peakKb) peakMb[kind] = kb / 1024;
    return { peakMb, cpuSeconds };
  }
}

// ---------------------------------------------------------------------------------------------
// The state file of the file backend.

interface StateSize {
  bytes: number;
  resources: number;
  mirrors: number;
  /** Characters of one mirror's `__provider` (the same text in its inputs and in its outputs). */
  providerChars: number;
  providerDistinct: number;
  providerSecret: boolean;
  /** Average compact-JSON bytes per mirror resource, and the parts of it. */
  perMirror: { total: number; provider: number; secrets: number; stackTrace: number };
}

interface CheckpointResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  stackTrace?: unknown;
  sourcePosition?: unknown;
}

/** Pulumi's marker of an encrypted value in the state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function stateFile(stateDir: string): string {
  return path.join(stateDir, "backend", ".pulumi", "stacks", "fleet", `${STACK}.json`);
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && SECRET_SIG in value;
}

function measureState(stateDir: string): StateSize | undefined {
  const file = stateFile(stateDir);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const checkpoint = JSON.parse(text) as { checkpoint?: { latest?: { resources?: CheckpointResource[] } } };
  const resources = checkpoint.checkpoint?.latest?.resources ?? [];
  // Dynamic resources are typed pulumi-nodejs:dynamic/<module>:<class>.
  const mirrors = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  const texts = new Set<string>();
  let providerChars = 0;
  let providerSecret = false;
  const sum = { total: 0, provider: 0, secrets: 0, stackTrace: 0 };
  for (const mirror of mirrors) {
    sum.total += jsonBytes(mirror);
    sum.stackTrace += jsonBytes(mirror.stackTrace) + jsonBytes(mirror.sourcePosition);
    for (const props of [mirror.inputs ?? {}, mirror.outputs ?? {}]) {
      const code = props.__provider;
      if (typeof code === "string") {
        texts.add(code);
        providerChars = code.length;
      } else if (isSecret(code)) providerSecret = true;
      sum.provider += jsonBytes(code);
      for (const [key, value] of Object.entries(props)) if (key !== "__provider" && isSecret(value)) sum.secrets += jsonBytes(value);
    }
  }
  const per = (n: number): number => (mirrors.length > 0 ? n / mirrors.length : 0);
  return {
    bytes: Buffer.byteLength(text),
    resources: resources.length,
    mirrors: mirrors.length,
    providerChars,
    providerDistinct: texts.size,
    providerSecret,
    perMirror: { total: per(sum.total), provider: per(sum.provider), secrets: per(sum.secrets), stackTrace: per(sum.stackTrace) },
  };
}

function directoryBytes(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(full) : fs.statSync(full).size;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Phases.

interface PhaseResult {
  name: string;
  seconds: number;
  changes: string;
  counters: Counters;
  peakMb: Record<string, number>;
  cpuSeconds: Record<string, number>;
  state: StateSize | undefined;
  backendBytes: number;
}

function formatRoutes(counters: Counters, count: number): string {
  const routes = Object.entries(counters.routes)
    .sort(([, a], [, b]) => b - a)
    .map(([route, n]) => `${route} ${n} (${(n / count).toFixed(2)}/mirror)`);
  return routes.length > 0 ? routes.join(", ") : "none";
}

function formatByKind(values: Record<string, number>, unit: string, digits: number): string {
  return Object.entries(values)
    .map(([kind, value]) => `${kind} ${value.toFixed(digits)}${unit}`)
    .join(", ");
}

function report(result: PhaseResult, count: number, mode: CheckpointMode): void {
  const { counters } = result;
  const state = result.state;
  print(
    `${mode === "skip" ? "[skip-checkpoints] " : ""}${result.name.padEnd(7)} ${count} mirrors: ${result.seconds.toFixed(1)} s, ` +
      `${(count / result.seconds).toFixed(1)} mirrors/s; changes ${result.changes}; ` +
      `API ${counters.total} requests (${(counters.total / count).toFixed(2)}/mirror): ${formatRoutes(counters, count)}`,
  );
  print(
    `        peak RSS ${formatByKind(result.peakMb, " MB", 0)}; CPU ${formatByKind(result.cpuSeconds, " s", 1)}; ` +
      (state
        ? `state file ${(state.bytes / 1024).toFixed(0)} KiB (${state.resources} resources)`
        : "no state file") +
      `, backend dir ${(result.backendBytes / 1024).toFixed(0)} KiB`,
  );
}

async function runPhase(
  name: string,
  count: number,
  emulator: Emulator,
  stateDir: string,
  run: () => Promise<string>,
): Promise<PhaseResult> {
  await resetCounters(emulator.baseUrl);
  const sampler = new ProcessSampler(emulator.pid);
  const started = process.hrtime.bigint();
  let changes: string;
  try {
    changes = await run();
  } catch (err) {
    sampler.stop();
    throw err;
  }
  const usage = sampler.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const counters = await readCounters(emulator.baseUrl);
  if ((counters.routes[SYNC_ROUTE] ?? 0) > 0) throw new Error(`${name}: ${counters.routes[SYNC_ROUTE]} sync requests; the fleet must never sync`);
  return {
    name,
    seconds,
    changes,
    counters,
    ...usage,
    state: measureState(stateDir),
    backendBytes: directoryBytes(path.join(stateDir, "backend")),
  };
}

function summarise(changes: Record<string, number> | undefined): string {
  return JSON.stringify(changes ?? {});
}

/** Fails the phase when the engine did not do what the phase is for. */
function expectChanges(phase: string, changes: Record<string, number> | undefined, op: string, count: number): void {
  if ((changes?.[op] ?? 0) !== count) throw new Error(`${phase}: expected ${count} ${op}, got ${summarise(changes)}`);
}

async function runSequence(args: Args, mode: CheckpointMode, scratch: string): Promise<PhaseResult[]> {
  const { count } = args;
  const runDir = path.join(scratch, mode);
  const logFile = path.join(runDir, "pulumi.log");
  fs.mkdirSync(runDir, { recursive: true });
  const emulator = await startEmulatorProcess(fleetSeed(count), path.join(runDir, "emulator"), path.join(runDir, "emulator.log"));
  const onOutput = (text: string): void => {
    fs.appendFileSync(logFile, text);
    if (args.verbose) process.stderr.write(text);
  };
  const results: PhaseResult[] = [];
  const stateDir = path.join(runDir, "pulumi");
  try {
    print(`${mode === "skip" ? "PULUMI_SKIP_CHECKPOINTS=true, " : ""}emulator ${emulator.baseUrl}, ${Math.ceil(count / PER_PROJECT)} projects; pulumi output in ${logFile}`);
    const stack: Stack = await openExampleStack({
      example: "fleet",
      stackName: STACK,
      stateDir,
      config: {
        "gitlab:baseUrl": { value: emulator.baseUrl },
        "gitlab:token": { value: ROOT_TOKEN, secret: true },
        "fleet:count": { value: String(count) },
        "fleet:perProject": { value: String(PER_PROJECT) },
        "fleet:enabled": { value: "true" },
        "fleet:targetToken": { value: "fleet-bench-target-token", secret: true },
      },
    });
    if (mode === "skip") (stack.workspace as LocalWorkspace).envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    const phase = async (name: string, run: () => Promise<string>): Promise<void> => {
      const result = await runPhase(name, count, emulator, stateDir, run);
      report(result, count, mode);
      results.push(result);
    };

    await phase("up", async () => {
      const up = await stack.up({ onOutput });
      expectChanges("up", up.summary.resourceChanges, "create", count + STACK_RESOURCE);
      return summarise(up.summary.resourceChanges);
    });
    await phase("preview", async () => {
      const preview = await stack.preview({ onOutput });
      expectChanges("preview", preview.changeSummary, "same", count + STACK_RESOURCE);
      return summarise(preview.changeSummary);
    });
    await phase("refresh", async () => {
      const refresh = await stack.refresh({ onOutput });
      return summarise(refresh.summary.resourceChanges);
    });
    await stack.setConfig("fleet:enabled", { value: "false" });
    await phase("disable", async () => {
      const up = await stack.up({ onOutput });
      expectChanges("disable", up.summary.resourceChanges, "update", count);
      return summarise(up.summary.resourceChanges);
    });
    await phase("destroy", async () => {
      const destroy = await stack.destroy({ onOutput });
      expectChanges("destroy", destroy.summary.resourceChanges, "delete", count + STACK_RESOURCE);
      return summarise(destroy.summary.resourceChanges);
    });
  } catch (err) {
    print(`failed; last lines of ${logFile}:`);
    const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trimEnd().split("\n") : [];
    for (const line of lines.slice(-30)) process.stdout.write(`    ${line}\n`);
    throw err;
  } finally {
    await emulator.stop();
  }
  return results;
}

function printStateSummary(results: PhaseResult[]): void {
  const afterUp = results.find((r) => r.name === "up")?.state;
  if (afterUp === undefined || afterUp.mirrors === 0) return;
  const { perMirror: m } = afterUp;
  const share = (n: number): string => `${((n * 100) / m.total).toFixed(0)}%`;
  print(
    `state file after up: ${afterUp.bytes} bytes, ${(afterUp.bytes / afterUp.mirrors).toFixed(0)} B/mirror on disk (indented JSON); ` +
      `one mirror is ${m.total.toFixed(0)} B of compact JSON: __provider ${m.provider.toFixed(0)} B (${share(m.provider)}, ` +
      `${afterUp.providerChars} chars in inputs and again in outputs, ${afterUp.providerDistinct} distinct text(s), ` +
      `${afterUp.providerSecret ? "SECRET: encrypted per resource" : "plain"}), encrypted url ${m.secrets.toFixed(0)} B (${share(m.secrets)}), ` +
      `stack trace ${m.stackTrace.toFixed(0)} B (${share(m.stackTrace)})`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-bench-fleet-"));
  print(`${args.count} mirrors, ${os.cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}; scratch ${scratch}`);
  try {
    for (const mode of args.modes) {
      const results = await runSequence(args, mode, scratch);
      printStateSummary(results);
    }
  } finally {
    if (args.keep) print(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  print(`peak RSS of the bench process over the whole run: ${peak.toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
