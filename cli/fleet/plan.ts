/**
 * What a stack's apply would do to mirrors, from its recorded state and the inventory: the mirrors each
 * project gains and loses. Pure. The engine's preview says which resources change; this names the mirrors,
 * so that a deletion is never hidden inside "1 update".
 */
import type { InventoryMirror } from "../inventory";
import { projectIdentity, targetIdentity } from "../inventory";
import { SET_TYPE } from "./program";

export interface RecordedSet {
  project: string;
  targets: Array<{ target: string; mirrorId: number }>;
}

export interface MirrorChange {
  project: string;
  target: string;
  mirrorId?: number;
}

export interface StackPlan {
  group: string;
  /** `apply`: the group is in the inventory; `retire`: it left, and apply destroys its stack. */
  action: "apply" | "retire";
  adds: MirrorChange[];
  deletes: MirrorChange[];
  /** Mirrors kept as they are (settings may still change: the engine's counts say). */
  keeps: number;
}

/** The ProjectMirrors sets a stack's exported state records (outputs as `stack export --show-secrets` prints them). */
export function recordedSets(resources: ReadonlyArray<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }>): RecordedSet[] {
  return resources
    .filter((r) => r.type === SET_TYPE)
    .map((r) => {
      const mirrors = plain(r.outputs?.mirrors);
      const project = plain(r.inputs?.project);
      const list = Array.isArray(mirrors) ? (mirrors as Array<Record<string, unknown>>) : [];
      return {
        project: String(project ?? plain(r.outputs?.projectId) ?? "?"),
        targets: list
          .map((m) => ({ target: plain(m.target), mirrorId: plain(m.mirrorId) }))
          .filter((m): m is { target: string; mirrorId: number } => typeof m.target === "string" && typeof m.mirrorId === "number"),
      };
    });
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function plain(value: unknown): unknown {
  if (typeof value === "object" && value !== null && SECRET_SIG in value) {
    const { plaintext } = value as { plaintext?: unknown };
    if (typeof plaintext === "string") return JSON.parse(plaintext) as unknown;
    throw new Error("the stack's state holds encrypted values: it must be exported with its secrets shown");
  }
  return value;
}

export function planStack(group: string, declared: readonly InventoryMirror[] | undefined, recorded: readonly RecordedSet[]): StackPlan {
  const wanted = new Map<string, Set<string>>();
  for (const m of declared ?? []) {
    const key = projectIdentity(m.project);
    wanted.set(key, (wanted.get(key) ?? new Set()).add(targetIdentity(m.url) ?? m.url));
  }
  const have = new Map<string, Set<string>>();
  const deletes: MirrorChange[] = [];
  let keeps = 0;
  for (const set of recorded) {
    const key = projectIdentity(set.project);
    const targets = wanted.get(key);
    for (const { target, mirrorId } of set.targets) {
      have.set(key, (have.get(key) ?? new Set()).add(target));
      if (targets?.has(target)) keeps += 1;
      else deletes.push({ project: set.project, target, mirrorId });
    }
  }
  const adds: MirrorChange[] = [];
  for (const m of declared ?? []) {
    const target = targetIdentity(m.url) ?? m.url;
    if (!have.get(projectIdentity(m.project))?.has(target)) adds.push({ project: m.project, target });
  }
  return { group, action: declared === undefined ? "retire" : "apply", adds, deletes, keeps };
}
