/**
 * Applies a mirror inventory (examples/inventory) as one stack per group, several stacks at a time,
 * through the Automation API: a fleet too large for one stack's checkpoints is applied in parallel
 * shards, each with a small state of its own.
 *
 *   npx tsc -p tsconfig.json
 *   export PULUMI_BIN_DIR=$(bash scripts/setup-pulumi.sh 2>/dev/null)
 *   GITLAB_TOKEN=... node dist/scripts/fleet-shards.js <up|preview|destroy> --inventory FILE
 *     --gitlab-url URL [--credentials FILE] [--state-dir DIR] [--parallel-stacks N]
 *     [--skip-checkpoints] [--verbose]
 *
 * The token comes from GITLAB_TOKEN (never from the command line), the credentials named in the
 * inventory from a JSON file ({"name": {"username": "...", "password": "..."}}). The inventory is
 * validated first, every problem listed, before any stack is opened or any request sent. Each stack is
 * the example program with `inventory:group` set to its group; `up` also destroys and removes the
 * stack of a group that left the inventory. One line per stack when it starts and when it ends; the
 * exit status is non-zero when any stack failed, and the last line names each failed one. Engine
 * output goes to <state-dir>/logs/<group>.log.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { credentialsSchema, formatPath, inventoryError, loadInventory, type Credentials, type MirrorsByGroup } from "../cli/inventory";
import { repoRoot } from "./lib/pulumi-cli";
import { openStack } from "./lib/stack";

const OPERATIONS = ["up", "preview", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];
const PROJECT = "inventory";
const DEFAULT_PARALLEL_STACKS = 4;
const PROGRAM = path.join(repoRoot, "dist", "examples", "inventory", "index.js");

export interface ShardOptions {
  operation: Operation;
  inventoryFile: string;
  gitlabUrl: string;
  token: string;
  credentials: Credentials;
  stateDir: string;
  parallelStacks: number;
  skipCheckpoints: boolean;
  verbose: boolean;
}

/** What happened to one stack. */
export interface ShardResult {
  group: string;
  ok: boolean;
  seconds: number;
  changes: Record<string, number>;
  error?: string;
}

function print(line: string): void {
  process.stdout.write(`[shards] ${line}\n`);
}

function readOptions(argv: string[]): ShardOptions {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      inventory: { type: "string" },
      "gitlab-url": { type: "string" },
      credentials: { type: "string" },
      "state-dir": { type: "string" },
      "parallel-stacks": { type: "string", default: String(DEFAULT_PARALLEL_STACKS) },
      "skip-checkpoints": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
    },
  });
  const problems: string[] = [];
  const operation = positionals[0] as Operation;
  if (positionals.length !== 1 || !OPERATIONS.includes(operation)) problems.push(`give one operation: ${OPERATIONS.join(", ")}`);
  if (!values.inventory) problems.push("--inventory FILE is required");
  const gitlabUrl = values["gitlab-url"] ?? process.env.GITLAB_BASE_URL;
  if (!gitlabUrl) problems.push("--gitlab-url (or GITLAB_BASE_URL) is required");
  const token = process.env.GITLAB_TOKEN;
  if (!token) problems.push("GITLAB_TOKEN must hold the GitLab token (it is never taken from the command line)");
  const parallelStacks = Number(values["parallel-stacks"]);
  if (!Number.isInteger(parallelStacks) || parallelStacks < 1) problems.push(`--parallel-stacks must be a whole number from 1, not ${values["parallel-stacks"]}`);
  if (problems.length > 0) throw new Error(`fleet-shards: ${problems.join("; ")}`);
  const credentials = values.credentials ? readCredentials(values.credentials) : {};
  return {
    operation,
    inventoryFile: path.resolve(values.inventory!),
    gitlabUrl: gitlabUrl!,
    token: token!,
    credentials,
    stateDir: path.resolve(values["state-dir"] ?? fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-shards-"))),
    parallelStacks,
    skipCheckpoints: values["skip-checkpoints"]!,
    verbose: values.verbose!,
  };
}

function readCredentials(file: string): Credentials {
  const parsed = credentialsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")) as unknown);
  if (!parsed.success) {
    // Paths and messages only: zod's issues never quote a value.
    throw inventoryError(file, parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return parsed.data;
}

/** Runs `task` over `items`, at most `limit` at a time, in order of the list. */
async function forEachBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Counts the steps of the mirrors (not of the stack or its providers), and keeps the errors the engine
 * reported about resources, from the engine's events.
 */
class StepCounter {
  readonly counts: Record<string, number> = {};
  readonly errors: string[] = [];

  constructor(private readonly preview: boolean) {}

  readonly onEvent = (event: EngineEvent): void => {
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error" && diagnostic.urn && !diagnostic.urn.includes("::pulumi:pulumi:Stack::")) {
      // The engine's colour markers, then the resource's name: the URN's last part.
      const message = diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trim().replace(/\s*\n\s*/g, " ");
      this.errors.push(`${diagnostic.urn.split("::").pop()}: ${message}`);
    }
    // A preview reports each planned step once, before it; an update reports each done step once, after it.
    const metadata = this.preview ? event.resourcePreEvent?.metadata : event.resOutputsEvent?.metadata;
    if (metadata === undefined || metadata.type === "pulumi:pulumi:Stack" || metadata.type.startsWith("pulumi:providers:")) return;
    this.counts[metadata.op] = (this.counts[metadata.op] ?? 0) + 1;
  };
}

function formatChanges(changes: Record<string, number>): string {
  const entries = Object.entries(changes).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([op, n]) => `${op} ${n}`).join(", ") : "no changes";
}

/** The CLI's own `error:` lines of a failed command (the Automation API's message holds its whole output), else the last lines. */
function errorTail(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const errors = [...new Set(lines.filter((l) => l.startsWith("error: ")))];
  return (errors.length > 0 ? errors : lines.slice(-3)).join(" | ");
}

/** Applies the inventory's groups as stacks; stacks of groups that left the inventory are destroyed on `up`. */
export async function runShards(options: ShardOptions, byGroup: MirrorsByGroup): Promise<ShardResult[]> {
  if (!fs.existsSync(PROGRAM)) throw new Error(`${PROGRAM} is missing: run 'npx tsc -p tsconfig.json'`);
  const logDir = path.join(options.stateDir, "logs");
  fs.mkdirSync(logDir, { recursive: true });
  const openGroupStack = async (group: string): Promise<Stack> => {
    const stack = await openStack({
      programPath: PROGRAM,
      projectName: PROJECT,
      stackName: group,
      stateDir: options.stateDir,
      // One backend for all, settings files apart: see StackOptions.workDir.
      workDir: path.join(options.stateDir, "workspaces", group),
      config: {
        "gitlab:baseUrl": { value: options.gitlabUrl },
        "gitlab:token": { value: options.token, secret: true },
        "inventory:file": { value: options.inventoryFile },
        "inventory:group": { value: group },
        "inventory:credentials": { value: JSON.stringify(options.credentials), secret: true },
      },
    });
    if (options.skipCheckpoints) (stack.workspace as LocalWorkspace).envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    return stack;
  };

  const groups = [...byGroup.keys()];
  const retired = options.operation === "up" ? await retiredGroups(openGroupStack, groups) : [];
  const jobs: Array<{ group: string; operation: Operation | "retire" }> = [
    ...groups.map((group) => ({ group, operation: options.operation })),
    ...retired.map((group) => ({ group, operation: "retire" as const })),
  ];
  const results: ShardResult[] = [];
  let running = 0;
  await forEachBounded(jobs, options.parallelStacks, async ({ group, operation }) => {
    const logFile = path.join(logDir, `${group}.log`);
    const onOutput = (text: string): void => {
      fs.appendFileSync(logFile, text);
      if (options.verbose) process.stderr.write(text);
    };
    running += 1;
    const mirrors = byGroup.get(group)?.length;
    print(`start ${group}: ${operation}${mirrors !== undefined ? ` of ${mirrors} mirror${mirrors === 1 ? "" : "s"}` : " (no longer in the inventory)"} (${running} running)`);
    const started = process.hrtime.bigint();
    const steps = new StepCounter(operation === "preview");
    let result: ShardResult;
    try {
      const stack = await openGroupStack(group);
      await apply(stack, operation, onOutput, steps);
      result = { group, ok: true, seconds: secondsSince(started), changes: steps.counts };
      print(`done  ${group}: ${operation} in ${result.seconds.toFixed(1)} s, ${formatChanges(steps.counts)}`);
    } catch (err) {
      const error = steps.errors.length > 0 ? steps.errors.join("; ") : errorTail(err);
      result = { group, ok: false, seconds: secondsSince(started), changes: steps.counts, error };
      print(`FAIL  ${group}: ${operation} after ${result.seconds.toFixed(1)} s: ${result.error} (engine output in ${logFile})`);
    } finally {
      running -= 1;
    }
    results.push(result);
  });
  return results;
}

async function apply(stack: Stack, operation: Operation | "retire", onOutput: (text: string) => void, steps: StepCounter): Promise<void> {
  switch (operation) {
    case "up":
      await stack.up({ onOutput, onEvent: steps.onEvent });
      return;
    case "preview":
      await stack.preview({ onOutput, onEvent: steps.onEvent });
      return;
    case "destroy":
      await stack.destroy({ onOutput, onEvent: steps.onEvent });
      return;
    case "retire":
      await stack.destroy({ onOutput, onEvent: steps.onEvent });
      await stack.workspace.removeStack(stack.name);
      return;
  }
}

/** Stacks in the backend whose group is no longer in the inventory: their mirrors are to be deleted. */
async function retiredGroups(openGroupStack: (group: string) => Promise<Stack>, groups: string[]): Promise<string[]> {
  if (groups.length === 0) return [];
  const first = await openGroupStack(groups[0]);
  const stacks = await first.workspace.listStacks();
  return stacks.map((s) => s.name).filter((name) => !groups.includes(name));
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  // Every problem of the inventory, before any stack is opened or any request sent.
  const byGroup = loadInventory(fs.readFileSync(options.inventoryFile, "utf8"), options.inventoryFile, new Set(Object.keys(options.credentials)));
  const mirrors = [...byGroup.values()].reduce((n, list) => n + list.length, 0);
  print(
    `${options.operation} ${mirrors} mirrors in ${byGroup.size} stacks, ${options.parallelStacks} at a time` +
      `${options.skipCheckpoints ? ", PULUMI_SKIP_CHECKPOINTS=true" : ""}; state in ${options.stateDir}`,
  );
  const started = process.hrtime.bigint();
  const results = await runShards(options, byGroup);
  const failed = results.filter((r) => !r.ok);
  const total = results.reduce<Record<string, number>>((sum, r) => {
    for (const [op, n] of Object.entries(r.changes)) sum[op] = (sum[op] ?? 0) + n;
    return sum;
  }, {});
  print(`all ${results.length} stacks in ${secondsSince(started).toFixed(1)} s: ${formatChanges(total)}`);
  if (failed.length > 0) {
    print(`failed stacks: ${failed.map((r) => r.group).join(", ")}`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`[shards] ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
