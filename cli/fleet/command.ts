/**
 * `gitlab-mirrors fleet plan|apply|destroy`: an inventory applied as one stack per group, on the provider
 * plugin with one ProjectMirrors per project, at most --parallel-stacks stacks at a time. `plan` names every
 * mirror each stack would add and delete (a group gone from the inventory included); `apply` refuses, before
 * changing anything, to delete more mirrors than --max-deletes allows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { packageInfo } from "../../provider/plugin/package-root";
import { redactAll } from "../../provider/redact";
import { readCredentialsFile, readInventoryFile, type Credentials, type MirrorsByGroup } from "../inventory";
import { EXIT, Output, parseCommandArgs, UsageError } from "../usage";
import { planStack, recordedSets, StackPlan } from "./plan";
import { groupProgram } from "./program";
import { FleetBackend, listFleetStacks, openGroupStack, StepCounter } from "./stacks";

export const DEFAULT_PARALLEL_STACKS = 4;
/** Safe by default: any deletion must be allowed by number (a pipeline passes the count its reviewed plan showed). */
export const DEFAULT_MAX_DELETES = 0;
const OPERATIONS = ["plan", "apply", "destroy"] as const;
type Operation = (typeof OPERATIONS)[number];

export const FLEET_HELP = `Usage: gitlab-mirrors fleet <plan|apply|destroy> --inventory FILE [options]

Applies a mirror inventory (groups -> projects -> mirror targets; see docs/inventory.md) as one Pulumi stack
per group, on the provider plugin with one ProjectMirrors resource per project.

  plan      show, for every stack, each mirror it would add and delete (a group gone from the inventory is a
            stack to retire: every mirror it holds is deleted), with the engine's counts and the totals
  apply     plan, refuse if it would delete more than --max-deletes mirrors, then apply every stack (and
            retire the stacks of groups gone from the inventory)
  destroy   delete every mirror of every stack of the fleet (also bounded by --max-deletes)

Options:
  --inventory FILE        the inventory (YAML or JSON), required
  --credentials FILE      the credentials the inventory names, as JSON:
                          {"backup-bot": {"username": "backup-bot", "password": "<token>"}}
  --gitlab-url URL        GitLab's base URL (default: GITLAB_BASE_URL)
  --token-file FILE       read the GitLab token from FILE (default: the GITLAB_TOKEN environment variable)
  --state-dir DIR         workspaces, and the state when no PULUMI_BACKEND_URL is set (default: .gitlab-mirrors-fleet)
  --parallel-stacks N     stacks at a time (default: ${DEFAULT_PARALLEL_STACKS})
  --max-deletes N         apply/destroy refuse to delete more mirrors than N (default: ${DEFAULT_MAX_DELETES})
  --json                  plan: print the plan as one JSON document on stdout (progress goes to stderr)
  --unlock                apply/destroy: first remove the locks an interrupted run left on the fleet's stacks
                          (pulumi cancel); only when no other run of this fleet is going
  -h, --help              show this help

Secrets never come from the command line. The state's secrets are encrypted with PULUMI_CONFIG_PASSPHRASE
(or PULUMI_CONFIG_PASSPHRASE_FILE), which a file backend requires. Each stack's engine output goes to
<state-dir>/logs/<group>.log. Exit status: 0 done, 1 a stack failed or apply refused, 2 bad usage.`;

interface FleetOptions {
  operation: Operation;
  inventoryFile: string;
  credentials: Credentials;
  backend: FleetBackend;
  parallelStacks: number;
  maxDeletes: number;
  json: boolean;
  unlock: boolean;
}

function wholeNumber(value: string | undefined, fallback: number, option: string, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) throw new UsageError(`${option} must be a whole number from ${min}`, "fleet");
  return Number(value);
}

function readOptions(args: string[]): FleetOptions {
  const { values, positionals } = parseCommandArgs("fleet", {
    args,
    allowPositionals: true,
    options: {
      inventory: { type: "string" },
      credentials: { type: "string" },
      "gitlab-url": { type: "string" },
      "token-file": { type: "string" },
      "state-dir": { type: "string" },
      "parallel-stacks": { type: "string" },
      "max-deletes": { type: "string" },
      json: { type: "boolean" },
      unlock: { type: "boolean" },
    },
  });
  const operation = positionals[0] as Operation;
  if (positionals.length !== 1 || !OPERATIONS.includes(operation)) throw new UsageError(`give one operation: ${OPERATIONS.join(", ")}`, "fleet");
  if (values.inventory === undefined) throw new UsageError("--inventory FILE is required", "fleet");
  const gitlabUrl = values["gitlab-url"] ?? process.env.GITLAB_BASE_URL;
  if (!gitlabUrl) throw new UsageError("--gitlab-url (or GITLAB_BASE_URL) is required", "fleet");
  const token = values["token-file"] !== undefined ? readTokenFile(values["token-file"]) : process.env.GITLAB_TOKEN;
  if (!token) throw new UsageError("the GitLab token is missing: set GITLAB_TOKEN or give --token-file FILE (never the token itself)", "fleet");
  const stateDir = path.resolve(values["state-dir"] ?? ".gitlab-mirrors-fleet");
  const backendUrl = process.env.PULUMI_BACKEND_URL || `file://${path.join(stateDir, "backend")}`;
  if (backendUrl.startsWith("file://") && !process.env.PULUMI_CONFIG_PASSPHRASE && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    throw new UsageError("set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): it encrypts the secrets in the stacks' state", "fleet");
  }
  return {
    operation,
    inventoryFile: path.resolve(values.inventory),
    credentials: values.credentials !== undefined ? readCredentialsFile(path.resolve(values.credentials)) : {},
    backend: { stateDir, backendUrl, gitlabUrl, token },
    parallelStacks: wholeNumber(values["parallel-stacks"], DEFAULT_PARALLEL_STACKS, "--parallel-stacks", 1),
    maxDeletes: wholeNumber(values["max-deletes"], DEFAULT_MAX_DELETES, "--max-deletes", 0),
    json: values.json === true,
    unlock: values.unlock === true,
  };
}

function readTokenFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    throw new UsageError(`--token-file cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`, "fleet");
  }
}

/** Runs `task` over `items`, at most `limit` at a time, in the list's order. */
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

function seconds(started: bigint): string {
  return (Number(process.hrtime.bigint() - started) / 1e9).toFixed(1);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([op, n]) => `${op} ${n}`).join(", ") : "no resource steps";
}

/**
 * A stack's failure, said once: the engine's errors about its resources, those alike counted rather than
 * repeated, and the token's advice naming what this runner reads (GITLAB_TOKEN), not stack config.
 */
export function failureSummary(errors: readonly string[], fallback: string): string {
  if (errors.length === 0) return fallback;
  const runnerWords = (text: string) =>
    text
      .replace(/ If the token was rotated, set the new one with .*$/, "")
      .replace(/pulumi config set --secret gitlab(?:-mirrors)?:token <token>/g, "the GITLAB_TOKEN environment variable");
  const shapes = new Map<string, { first: string; count: number }>();
  for (const error of errors) {
    const message = runnerWords(error.slice(error.indexOf(": ") + 2));
    const shape = message.replace(/\d+/g, "#").replace(/https?:\/\/\S+/g, "<url>");
    const seen = shapes.get(shape);
    if (seen) seen.count += 1;
    else shapes.set(shape, { first: runnerWords(error), count: 1 });
  }
  return [...shapes.values()]
    .map(({ first, count }) => {
      const token = /\b401\b/.test(first) ? " (this runner gives every stack the token in GITLAB_TOKEN: check that one)" : "";
      return `${first}${token}${count > 1 ? ` [and ${count - 1} more resource(s) with the same error]` : ""}`;
    })
    .join(" | ");
}

function errorTail(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "");
  const errors = [...new Set(lines.filter((l) => l.startsWith("error: ")))];
  return (errors.length > 0 ? errors : lines.slice(-3)).join(" | ").slice(0, 2000);
}

interface StackJob {
  group: string;
  plan: StackPlan;
  counts: Record<string, number>;
  changes?: StepCounter["changes"];
  ok: boolean;
  error?: string;
}

export async function runFleet(args: string[], output: Output): Promise<number> {
  const options = readOptions(args);
  const { backend } = options;
  const say = options.json ? output.err : output.out;
  const secrets = [backend.token, ...Object.values(options.credentials).flatMap((c) => [c.password, encodeURIComponent(c.password)])];
  const print = (line: string): void => say(redactAll(line, secrets));
  // Every problem of the inventory (and of its credential names), before any stack is opened.
  const byGroup: MirrorsByGroup = readInventoryFile(options.inventoryFile, new Set(Object.keys(options.credentials)));
  fs.mkdirSync(path.join(backend.stateDir, "logs"), { recursive: true });
  if (backend.backendUrl.startsWith("file://")) fs.mkdirSync(backend.backendUrl.slice("file://".length), { recursive: true });
  const pluginDir = packageInfo().root;
  const inventoryGroups = [...byGroup.keys()];
  const existing = await listFleetStacks(backend);
  const retired = existing.filter((g) => !byGroup.has(g));
  const groups = options.operation === "destroy" ? [...new Set([...inventoryGroups.filter((g) => existing.includes(g)), ...retired])] : [...inventoryGroups, ...retired];
  const mirrors = [...byGroup.values()].reduce((n, list) => n + list.length, 0);
  print(
    `fleet ${options.operation}: ${plural(mirrors, "mirror")} in ${plural(byGroup.size, "group")}` +
      `${retired.length > 0 ? `, ${plural(retired.length, "stack")} of groups gone from the inventory (${retired.join(", ")})` : ""}; ` +
      `${options.parallelStacks} stack(s) at a time; state in ${backend.stateDir}`,
  );

  const stacks = new Map<string, Stack>();
  const open = async (group: string): Promise<Stack> => {
    const declared = byGroup.get(group);
    const stack = await openGroupStack(backend, group, declared === undefined ? undefined : groupProgram(declared, options.credentials, pluginDir), pluginDir);
    stacks.set(group, stack);
    return stack;
  };
  const logOf = (group: string) => (text: string) => fs.appendFileSync(path.join(backend.stateDir, "logs", `${group}.log`), text);

  // The plan: every stack's recorded sets against the inventory, and (plan only) the engine's preview.
  const started = process.hrtime.bigint();
  const jobs: StackJob[] = [];
  await forEachBounded(groups, options.parallelStacks, async (group) => {
    const declared = options.operation === "destroy" ? undefined : byGroup.get(group);
    const job: StackJob = { group, plan: planStack(group, declared, []), counts: {}, ok: true };
    jobs.push(job);
    const stackStarted = process.hrtime.bigint();
    if (options.operation === "plan") print(`start ${group}: plan (${declared === undefined ? "no longer in the inventory: to retire" : plural(declared.length, "mirror")})`);
    try {
      const stack = await open(group);
      // A killed run leaves a file backend's stack locked; what it did is in the state, and the next
      // apply of ProjectMirrors repairs the rest.
      if (options.unlock && options.operation !== "plan") await stack.cancel();
      const state = (await stack.exportStack()).deployment as { resources?: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> };
      job.plan = planStack(group, declared, recordedSets(state.resources ?? []));
      if (options.operation === "plan" && declared !== undefined) {
        const steps = new StepCounter(true);
        try {
          await stack.preview({ onOutput: logOf(group), onEvent: steps.onEvent });
          job.counts = steps.counts;
          job.changes = steps.changes;
        } catch (err) {
          job.ok = false;
          job.error = failureSummary(steps.errors, errorTail(err));
        }
      }
    } catch (err) {
      job.ok = false;
      job.error = errorTail(err);
    }
    if (options.operation === "plan") {
      print(
        job.ok
          ? `done  ${group}: plan in ${seconds(stackStarted)} s: ${describePlan(job.plan)}${declared !== undefined ? `; engine: ${formatCounts(job.counts)}` : ""}`
          : `FAIL  ${group}: plan after ${seconds(stackStarted)} s: ${job.error} (engine output in ${path.join(backend.stateDir, "logs", `${group}.log`)})`,
      );
    }
  });
  jobs.sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
  const deletes = jobs.flatMap((j) => j.plan.deletes.map((d) => ({ group: j.group, ...d })));
  const adds = jobs.flatMap((j) => j.plan.adds.map((a) => ({ group: j.group, ...a })));
  const failedPlans = jobs.filter((j) => !j.ok);

  if (options.operation === "plan") {
    for (const j of jobs) {
      // What the engine will do to each set, property by property: setting changes a mirror count cannot show.
      for (const c of j.changes ?? []) print(`  ${c.op.padEnd(6)} ${j.group}: ${c.name}${c.properties.length > 0 ? ` (${c.properties.join(", ")})` : ""}`);
    }
    for (const d of deletes) print(`  delete ${d.group}: ${d.project} mirror ${d.mirrorId ?? "?"} (${d.target})`);
    for (const a of adds) print(`  add    ${a.group}: ${a.project} ${a.target}`);
    const retiring = jobs.filter((j) => j.plan.action === "retire").map((j) => j.group);
    print(
      `plan: ${plural(adds.length, "mirror")} to add, ${plural(deletes.length, "mirror")} to delete` +
        `${retiring.length > 0 ? ` (retiring ${retiring.join(", ")})` : ""}, in ${plural(jobs.length, "stack")}, ${seconds(started)} s; ` +
        `apply with --max-deletes ${deletes.length}${failedPlans.length > 0 ? `; FAILED: ${failedPlans.map((j) => j.group).join(", ")}` : ""}`,
    );
    if (options.json) {
      output.out(
        redactAll(
          JSON.stringify({
            stacks: jobs.map((j) => ({
              group: j.group,
              action: j.plan.action,
              ok: j.ok,
              ...(j.error ? { error: j.error } : {}),
              adds: j.plan.adds,
              deletes: j.plan.deletes,
              keeps: j.plan.keeps,
              engine: j.counts,
              changes: j.changes ?? [],
            })),
            totals: { adds: adds.length, deletes: deletes.length, stacks: jobs.length, retiring: retiring.length, failed: failedPlans.length },
          }),
          secrets,
        ),
      );
    }
    return failedPlans.length > 0 ? EXIT.failed : EXIT.done;
  }

  if (failedPlans.length > 0) {
    for (const j of failedPlans) print(`FAIL  ${j.group}: reading its state failed: ${j.error}`);
    print(`fleet ${options.operation}: nothing changed (the plan could not be made)`);
    return EXIT.failed;
  }
  if (deletes.length > options.maxDeletes) {
    for (const d of deletes) print(`  would delete ${d.group}: ${d.project} mirror ${d.mirrorId ?? "?"} (${d.target})`);
    print(
      `fleet ${options.operation}: refused: it would delete ${plural(deletes.length, "mirror")}, more than --max-deletes ${options.maxDeletes} allows; ` +
        `nothing changed. If these deletions are meant, run again with --max-deletes ${deletes.length}`,
    );
    return EXIT.failed;
  }

  const results: StackJob[] = [];
  let running = 0;
  await forEachBounded(jobs, options.parallelStacks, async (job) => {
    const { group } = job;
    const operation = options.operation === "destroy" || job.plan.action === "retire" ? (options.operation === "destroy" ? "destroy" : "retire") : "apply";
    running += 1;
    print(`start ${group}: ${operation}: +${job.plan.adds.length} -${job.plan.deletes.length} mirrors (${running} running)`);
    const stackStarted = process.hrtime.bigint();
    const steps = new StepCounter(false);
    try {
      const stack = stacks.get(group) ?? (await open(group));
      if (operation === "apply") await stack.up({ onOutput: logOf(group), onEvent: steps.onEvent });
      else {
        await stack.destroy({ onOutput: logOf(group), onEvent: steps.onEvent });
        if (operation === "retire") await stack.workspace.removeStack(stack.name);
      }
      print(`done  ${group}: ${operation} in ${seconds(stackStarted)} s: +${job.plan.adds.length} -${job.plan.deletes.length} mirrors; engine: ${formatCounts(steps.counts)}`);
      results.push({ ...job, counts: steps.counts });
    } catch (err) {
      const tail = errorTail(err);
      const locked = /currently locked/.test(tail) ? " (an interrupted run left the stack locked: if no other run of this fleet is going, run again with --unlock)" : "";
      const error = `${failureSummary(steps.errors, tail)}${locked}`;
      print(`FAIL  ${group}: ${operation} after ${seconds(stackStarted)} s: ${error} (engine output in ${path.join(backend.stateDir, "logs", `${group}.log`)})`);
      results.push({ ...job, ok: false, error });
    } finally {
      running -= 1;
    }
  });
  const failed = results.filter((r) => !r.ok);
  print(
    `fleet ${options.operation}: ${plural(results.length - failed.length, "stack")} done in ${seconds(started)} s` +
      `${failed.length > 0 ? `; FAILED: ${failed.map((r) => r.group).join(", ")}` : ""}`,
  );
  return failed.length > 0 ? EXIT.failed : EXIT.done;
}

function describePlan(plan: StackPlan): string {
  const verb = plan.action === "retire" ? "retire: " : "";
  return `${verb}+${plan.adds.length} -${plan.deletes.length} mirrors, ${plan.keeps} kept`;
}
