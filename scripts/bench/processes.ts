/**
 * Peak RSS (VmHWM) and CPU time of the processes a phase runs: the bench process exactly, its
 * descendants (the CLI's engine, language host, program, provider host) by sampling /proc.
 */
import * as fs from "node:fs";

const SAMPLE_EVERY_MS = 200;
const TICKS_PER_SECOND = 100;

/** What a process is, for grouping. */
export function kindOf(pid: number, comm: string, cmdline: string, emulatorPid: number | undefined): string {
  if (pid === emulatorPid) return "emulator";
  if (comm === "pulumi") return "engine";
  if (cmdline.includes("dynamic-provider") || cmdline.includes("run-plugin")) return "provider host";
  // A plugin the engine starts through its executable (pulumi-resource-<name>, which execs Node.js).
  if (/pulumi-resource-|[\\/]provider[\\/]plugin[\\/]main\.js|[\\/]noop-plugin[\\/]/.test(cmdline)) return "provider host";
  if (cmdline.includes("pulumi-language-yaml")) return "program (YAML host)";
  if (/@pulumi[\\/]pulumi[\\/]cmd[\\/]run\b/.test(cmdline)) return "program";
  // The kernel truncates names to 15 characters.
  if (comm.startsWith("pulumi-lang")) return "language host";
  if (cmdline.includes("emulator")) return "idle emulator";
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

export interface ProcessUsage {
  peakMb: Record<string, number>;
  cpuSeconds: Record<string, number>;
  /** Every process seen, by kind: a CPU profile named after its pid can be told apart. */
  kinds: Map<number, string>;
}

/**
 * Samples every SAMPLE_EVERY_MS. `bench` is this process (where an inline Automation API program runs).
 * Idle emulators of other paths are listed apart so that they never count as the phase's.
 */
export class ProcessSampler {
  private readonly peakKb = new Map<string, number>();
  private readonly firstTicks = new Map<number, number>();
  private readonly lastTicks = new Map<number, { kind: string; ticks: number }>();
  private benchPeakRssBytes = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly benchCpuStart = process.cpuUsage();

  constructor(private readonly emulatorPid: number | undefined, private readonly idlePids: ReadonlySet<number>) {
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
      if (this.idlePids.has(pid)) continue;
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
  stop(): ProcessUsage {
    clearInterval(this.timer);
    this.sample();
    const benchCpu = process.cpuUsage(this.benchCpuStart);
    const cpuSeconds: Record<string, number> = { bench: (benchCpu.user + benchCpu.system) / 1e6 };
    const kinds = new Map<number, string>();
    for (const [pid, { kind, ticks }] of this.lastTicks) {
      cpuSeconds[kind] = (cpuSeconds[kind] ?? 0) + (ticks - (this.firstTicks.get(pid) ?? 0)) / TICKS_PER_SECOND;
      kinds.set(pid, kind);
    }
    const peakMb: Record<string, number> = { bench: this.benchPeakRssBytes / 2 ** 20 };
    for (const [kind, kb] of this.peakKb) peakMb[kind] = kb / 1024;
    return { peakMb, cpuSeconds, kinds };
  }
}
