/**
 * How much a provider plugin process costs to start: from spawn to the port on its first stdout line,
 * the wall time and the CPU time (user + system, from /proc, in 10 ms ticks) of the process, as the
 * median of N starts. Prints one JSON line per command.
 *
 *   node dist/scripts/bench/plugin-start.js [--runs=N] -- CMD [ARGS...] [-- CMD [ARGS...]]...
 *
 * e.g. the checkout's plugin against a release's single executable:
 *   node dist/scripts/bench/plugin-start.js --runs=20 -- node dist/provider/plugin/main.js \
 *     -- /path/to/pulumi-resource-gitlab-mirrors
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMs(pid: number): number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Starts the command once; resolves when it prints its port, then ends it. */
function startOnce(command: string[]): Promise<{ wallMs: number; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // The engine's address, which no engine answers: the plugin only connects to it to log.
    const child = spawn(command[0], [...command.slice(1), "127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${command.join(" ")} exited ${code} before printing its port`)));
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (!/^\d+\n/.test(output)) return;
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpu = cpuMs(child.pid!);
      child.removeAllListeners("exit");
      child.kill("SIGKILL");
      resolve({ wallMs, cpuMs: cpu });
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsArg = args.find((arg) => arg.startsWith("--runs="));
  const runs = runsArg ? Number(runsArg.slice("--runs=".length)) : 10;
  const commands: string[][] = [];
  for (const arg of args.slice(args.indexOf("--"))) {
    if (arg === "--") commands.push([]);
    else commands[commands.length - 1]?.push(arg);
  }
  if (!Number.isInteger(runs) || runs < 1 || commands.length === 0 || commands.some((c) => c.length === 0)) {
    throw new Error("usage: plugin-start [--runs=N] -- CMD [ARGS...] [-- CMD [ARGS...]]...");
  }
  for (const command of commands) {
    await startOnce(command); // a first start warms the page cache
    const samples: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let i = 0; i < runs; i++) samples.push(await startOnce(command));
    const cpu = samples.map((s) => s.cpuMs);
    process.stdout.write(
      `${JSON.stringify({
        command: command.join(" "),
        runs,
        cpuMsMedian: median(cpu),
        cpuMsMin: Math.min(...cpu),
        cpuMsMax: Math.max(...cpu),
        wallMsMedian: Math.round(median(samples.map((s) => s.wallMs))),
      })}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`plugin-start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
