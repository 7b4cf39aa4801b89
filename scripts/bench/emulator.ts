/**
 * The emulator as a child process (its memory and CPU are not the program's), on 127.0.0.1 port 0,
 * seeded with the fleet's projects, and its request counters.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EmulatorSeed } from "../../emulator";
import { repoRoot } from "../../harness/pulumi-cli";
import { PER_PROJECT } from "../../harness/bench/programs";

export const ROOT_TOKEN = "glpat-fleet-bench-root-token";

export interface Emulator {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export interface Counters {
  total: number;
  routes: Record<string, number>;
}

function fleetSeed(count: number): EmulatorSeed {
  const projects = Math.ceil(count / PER_PROJECT);
  return {
    users: [{ username: "root", admin: true, tokens: [{ token: ROOT_TOKEN, scopes: ["api"] }] }],
    projects: Array.from({ length: projects }, (_, k) => ({ id: k + 1, path: `fleet/p-${k}`, visibility: "private" as const })),
  };
}

export async function startEmulatorProcess(count: number, dir: string): Promise<Emulator> {
  fs.mkdirSync(dir, { recursive: true });
  const seedFile = path.join(dir, "seed.json");
  const logFile = path.join(dir, "emulator.log");
  fs.writeFileSync(seedFile, JSON.stringify(fleetSeed(count)));
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

export async function readCounters(baseUrl: string): Promise<Counters> {
  const response = await fetch(`${baseUrl}/-/emulator/counters`);
  if (!response.ok) throw new Error(`GET counters: ${response.status}`);
  return (await response.json()) as Counters;
}

export async function resetCounters(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/-/emulator/counters`, { method: "DELETE" });
  if (response.status !== 204) throw new Error(`DELETE counters: ${response.status}`);
}
