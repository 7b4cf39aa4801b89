/**
 * The plugin must not outlive its engine (issue 21, item 9): after `pulumi up` was killed with SIGKILL,
 * plugin processes kept running for half an hour. The engine starts a plugin in a process group of its
 * own, with a pipe on its stdin; these tests start the plugin the same way from a stand-in "engine" (a
 * child process of the test), kill that engine, and wait for the plugin to exit.
 */
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const REPO_ROOT = path.resolve(__dirname, "../..");
const LAUNCHER = path.join(REPO_ROOT, "pulumi-resource-gitlab-mirrors");
/** Generous: the plugin looks every second; this only stops a test whose plugin never exits. */
const EXIT_BOUND_MS = 20_000;

const started: number[] = [];

afterEach(() => {
  // Only the processes this test started, by pid.
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** A stand-in engine: starts the launcher in its own process group, as Pulumi does, and prints its pid. */
function startEngine(stdin: "pipe" | "ignore"): Promise<{ engine: ChildProcess; pluginPid: number }> {
  const script = `
    const { spawn } = require("node:child_process");
    const plugin = spawn(${JSON.stringify(LAUNCHER)}, ["127.0.0.1:1"], {
      stdio: [${JSON.stringify(stdin)}, "pipe", "ignore"],
      detached: true,
      env: { ...process.env, GITLAB_TOKEN: "", GITLAB_BASE_URL: "" },
    });
    plugin.stdout.once("data", () => process.stdout.write(plugin.pid + "\\n"));
    setInterval(() => undefined, 1000);
  `;
  const engine = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  started.push(engine.pid!);
  return new Promise((resolve, reject) => {
    let out = "";
    engine.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /^(\d+)\n/.exec(out);
      if (match) {
        started.push(Number(match[1]));
        resolve({ engine, pluginPid: Number(match[1]) });
      }
    });
    engine.once("exit", (code) => reject(new Error(`the stand-in engine exited with ${code}`)));
  });
}

/** Running, and not a zombie waiting for a parent that does not reap it. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitForExit(pid: number): Promise<boolean> {
  const deadline = Date.now() + EXIT_BOUND_MS;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return !isRunning(pid);
}

it.each(["pipe", "ignore"] as const)("the plugin exits once its engine is killed with SIGKILL (stdin: %s)", async (stdin) => {
  const { engine, pluginPid } = await startEngine(stdin);
  expect(isRunning(pluginPid)).toBe(true);
  const exited = new Promise((resolve) => engine.once("exit", resolve));
  engine.kill("SIGKILL");
  await exited;
  expect(await waitForExit(pluginPid)).toBe(true);
}, 40_000);

it("the plugin keeps running while its engine lives", async () => {
  const { pluginPid } = await startEngine("pipe");
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(isRunning(pluginPid)).toBe(true);
}, 40_000);
