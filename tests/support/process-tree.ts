/**
 * Ending what a test started, by pid: a process, its group, and every descendant it had (the engine starts
 * its plugins and language hosts in process groups of their own, so a kill of the group misses them).
 */
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";

/** Every descendant of a process, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export function killPid(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function alive(pid: number): boolean {
  try {
    // A zombie still answers signal 0: read its state instead.
    return !/^\S+ \([^)]*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/** Polls `condition` every 50 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Lets `child` (spawned detached, so in a process group of its own) run until `ready()` holds, then SIGKILLs
 * its group and every process it started on the way (the engine starts its plugins in groups of their own),
 * and waits until none of them is alive. Fails if the child ends before it is killed; `whyEnded` adds what
 * it printed. Returns the pids of the processes it started.
 */
export async function killMidway(
  child: ChildProcess,
  ready: () => Promise<boolean>,
  what: string,
  { timeoutMs = 120_000, whyEnded = () => "" }: { timeoutMs?: number; whyEnded?: () => string } = {},
): Promise<number[]> {
  let done = child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => (done ? resolve() : child.on("exit", () => ((done = true), resolve()))));
  let started: number[] = [];
  const collect = () => (started = [...new Set([...started, ...descendants(child.pid!)])]);
  try {
    await until(
      async () => {
        if (done) throw new Error(`the run ended before it was killed${whyEnded() === "" ? "" : `:\n${whyEnded()}`}`);
        collect();
        return ready();
      },
      what,
      timeoutMs,
    );
  } finally {
    collect();
    if (!done) process.kill(-child.pid!, "SIGKILL");
    for (const pid of started) killPid(pid);
    await exited;
  }
  await until(async () => started.every((pid) => !alive(pid)), "the killed run's processes to end", 10_000);
  return started;
}
