/**
 * The no-op provider behind the plugin floor: the engine's cost of N custom resources of a plugin,
 * with the same inputs as RemoteMirror (the URL a secret) and the same kinds of step (create,
 * unchanged, read, update in place, delete), and no work of its own.
 *
 * What it records is one of two shapes, chosen by $NOOP_MIRRORS_STATE when the process starts:
 *   inputs  (default) its inputs, echoed as its outputs: the floor the benchmark's goals are set against;
 *   plugin  what the repository's plugin records for a password mirror GitLab has not pushed yet: the
 *           same inputs and the same outputs, with placeholder values. Against this floor, what is left
 *           of a gap is our process's own work, not the engine's cost of the state we keep.
 */
import type * as provider from "@pulumi/pulumi/provider";

export const NOOP_PACKAGE = "noop-mirrors";
export const NOOP_MIRROR_TOKEN = `${NOOP_PACKAGE}:index:RemoteMirror`;
/** The sets' floor: ProjectMirrors' inputs (a project and its entries, each URL a secret), echoed. */
export const NOOP_SET_TOKEN = `${NOOP_PACKAGE}:index:ProjectMirrors`;
const NOOP_ENTRY_TOKEN = `${NOOP_PACKAGE}:index:MirrorEntry`;
export const NOOP_STATE_ENV = "NOOP_MIRRORS_STATE";
export const NOOP_STATES = ["inputs", "plugin"] as const;
export type NoopState = (typeof NOOP_STATES)[number];
const VERSION = "0.0.1";

type Props = Record<string, any>;

/** The package schema: one resource whose properties are its inputs, echoed back as outputs. */
export function noopSchema(): Record<string, unknown> {
  const properties = {
    project: { type: "string" },
    url: { type: "string", secret: true },
    enabled: { type: "boolean" },
    syncOnApply: { type: "boolean" },
  };
  const setProperties = {
    project: { type: "string" },
    mirrors: { type: "array", items: { $ref: `#/types/${NOOP_ENTRY_TOKEN}` } },
    exclusive: { type: "boolean" },
  };
  return {
    name: NOOP_PACKAGE,
    version: VERSION,
    resources: {
      [NOOP_MIRROR_TOKEN]: {
        properties,
        required: ["project", "url"],
        inputProperties: properties,
        requiredInputs: ["project", "url"],
      },
      [NOOP_SET_TOKEN]: {
        properties: setProperties,
        required: ["project", "mirrors"],
        inputProperties: setProperties,
        requiredInputs: ["project", "mirrors"],
      },
    },
    types: {
      [NOOP_ENTRY_TOKEN]: {
        type: "object",
        properties: { url: { type: "string", secret: true }, enabled: { type: "boolean" } },
        required: ["url"],
      },
    },
  };
}

/** What the plugin's Check records besides the program's values: GitLab's defaults, and no host keys. */
const PLUGIN_INPUT_DEFAULTS = { authMethod: "password", onlyProtectedBranches: true, keepDivergentRefs: true, hostKeys: [] };

/** The plugin's Check drops a steering setting at its default: syncOnApply false is one. */
export function pluginShapedInputs(news: Props): Props {
  const { syncOnApply, ...rest } = news;
  return { ...rest, ...PLUGIN_INPUT_DEFAULTS, ...(syncOnApply === true ? { syncOnApply } : {}) };
}

/** The outputs the plugin stores for a password mirror: what GitLab reports, no copy of url or project. */
export function pluginShapedOutputs(inputs: Props, mirrorId: number): Props {
  return {
    enabled: inputs.enabled ?? true,
    authMethod: inputs.authMethod,
    onlyProtectedBranches: inputs.onlyProtectedBranches,
    keepDivergentRefs: inputs.keepDivergentRefs,
    mirrorBranchRegex: null,
    mirrorId,
    projectId: mirrorId,
    maskedUrl: "https://*****:*****@mirror.example.com/fleet/app.git",
    updateStatus: "none",
    lastError: null,
    lastUpdateAt: null,
    lastUpdateStartedAt: null,
    lastSuccessfulUpdateAt: null,
    hostKeyFingerprints: [],
  };
}

function changed(olds: Props, news: Props, keys: Iterable<string>): boolean {
  return [...keys].some((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
}

/** `value` as a state; `setting` names where it came from in the error. */
export function noopStateFrom(value: string | undefined, setting = NOOP_STATE_ENV): NoopState {
  if (value === undefined || value === "") return "inputs";
  if ((NOOP_STATES as readonly string[]).includes(value)) return value as NoopState;
  throw new Error(`${setting} must be ${NOOP_STATES.join(" or ")}, not ${value}`);
}

export function noopProvider(state: NoopState = "inputs"): provider.Provider {
  let nextId = 0;
  // Only the per-mirror resource has a plugin-shaped state; a set always echoes its inputs.
  const shapedFor = (urn: string) => state === "plugin" && !urn.includes(`::${NOOP_SET_TOKEN}::`);
  return {
    version: VERSION,
    schema: JSON.stringify(noopSchema()),
    check: async (urn, _olds, news) => ({ inputs: shapedFor(urn) ? pluginShapedInputs(news) : news }),
    // The plugin-shaped outputs hold no url or project: only what both sides hold can differ.
    diff: async (_id, urn, olds, news) => {
      const keys = shapedFor(urn) ? Object.keys(olds).filter((key) => key in news) : new Set([...Object.keys(olds), ...Object.keys(news)]);
      return { changes: changed(olds, news, keys) };
    },
    create: async (urn, inputs) => {
      nextId += 1;
      return { id: `${process.pid}-${nextId}`, outs: shapedFor(urn) ? pluginShapedOutputs(inputs, nextId) : inputs };
    },
    read: async (id, _urn, props) => ({ id, props }),
    update: async (_id, urn, olds, news) => ({ outs: shapedFor(urn) ? { ...olds, enabled: news.enabled } : news }),
    delete: async () => undefined,
  };
}
