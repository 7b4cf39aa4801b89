/**
 * The fleet's stacks through the Automation API: one stack per group of a YAML project of the provider
 * plugin, each with its own workspace directory (its Pulumi.yaml is the group's program), all in one backend.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { stringify } from "yaml";
import { FLEET_PROJECT, GroupProgram } from "./program";

export interface FleetBackend {
  /** Where workspaces (and, for a file backend, the state) live. */
  stateDir: string;
  /** PULUMI_BACKEND_URL: given, or a file backend under stateDir. */
  backendUrl: string;
  gitlabUrl: string;
  /** Handed to the engine (and so to the plugin) in its environment, never in config, state or argv. */
  token: string;
}

function automation(): typeof import("@pulumi/pulumi/automation") {
  // Loaded on first use: --help and usage errors never pay for it.
  return require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
}

function workDirOf(backend: FleetBackend, group: string): string {
  return path.join(backend.stateDir, "workspaces", group);
}

function envVars(backend: FleetBackend): Record<string, string> {
  return { PULUMI_BACKEND_URL: backend.backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true", GITLAB_TOKEN: backend.token };
}

/** Opens (creating if needed) a group's stack with `program` as its Pulumi.yaml and its credentials as secret config. */
export async function openGroupStack(backend: FleetBackend, group: string, program: GroupProgram | undefined, pluginDir: string): Promise<Stack> {
  const workDir = workDirOf(backend, group);
  fs.mkdirSync(workDir, { recursive: true });
  // A group gone from the inventory gets a program of no resources that still names the plugin: its
  // destroy needs the plugin, and a job's fresh checkout has no workspace from an earlier run.
  const text = program?.text ?? stringify({ name: FLEET_PROJECT, runtime: "yaml", packages: { "gitlab-mirrors": pluginDir } });
  fs.writeFileSync(path.join(workDir, "Pulumi.yaml"), text);
  const { LocalWorkspace } = automation();
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: group, workDir }, { workDir, envVars: envVars(backend) });
  await stack.setAllConfig({
    "gitlab-mirrors:baseUrl": { value: backend.gitlabUrl },
    ...Object.fromEntries(Object.entries(program?.secrets ?? {}).map(([key, value]) => [key, { value, secret: true }])),
  });
  return stack;
}

/** The stacks the backend holds for the fleet's project (a group gone from the inventory keeps its stack until retired). */
export async function listFleetStacks(backend: FleetBackend): Promise<string[]> {
  const dir = path.join(backend.stateDir, "workspaces", ".list");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${FLEET_PROJECT}\nruntime: yaml\n`);
  const { LocalWorkspace } = automation();
  const workspace = await LocalWorkspace.create({ workDir: dir, envVars: envVars(backend) });
  return (await workspace.listStacks()).map((s) => s.name.split("/").pop()!);
}

/** Counts the engine's steps on the fleet's sets, and keeps the errors it reported about them. */
export class StepCounter {
  readonly counts: Record<string, number> = {};
  readonly errors: string[] = [];
  /** Each set the step changes, with the properties it changes (`mirrors[2].enabled`), as the engine's diff names them. */
  readonly changes: Array<{ name: string; op: string; properties: string[] }> = [];

  constructor(private readonly preview: boolean) {}

  readonly onEvent = (event: EngineEvent): void => {
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error" && diagnostic.urn && !diagnostic.urn.includes("::pulumi:pulumi:Stack::")) {
      const message = diagnostic.message.replace(/<\{%[^%]*%\}>/g, "").trim().replace(/\s*\n\s*/g, " ");
      this.errors.push(`${diagnostic.urn.split("::").pop()}: ${message}`);
    }
    const metadata = this.preview ? event.resourcePreEvent?.metadata : event.resOutputsEvent?.metadata;
    if (metadata === undefined || metadata.type === "pulumi:pulumi:Stack" || metadata.type.startsWith("pulumi:providers:")) return;
    this.counts[metadata.op] = (this.counts[metadata.op] ?? 0) + 1;
    if (metadata.op !== "same" && metadata.op !== "read") {
      const properties = Object.keys(metadata.detailedDiff ?? {}).sort();
      this.changes.push({ name: metadata.urn.split("::").pop() ?? metadata.urn, op: metadata.op, properties: properties.length > 0 ? properties : (metadata.diffs ?? []) });
    }
  };
}
