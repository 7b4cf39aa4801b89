/**
 * The no-op provider behind the plugin floor: the engine's cost of N custom resources of a plugin,
 * with the same inputs as RemoteMirror (the URL a secret) and the same kinds of step (create,
 * unchanged, read, update in place, delete), and no work of its own.
 */
import type * as provider from "@pulumi/pulumi/provider";

export const NOOP_PACKAGE = "noop-mirrors";
export const NOOP_MIRROR_TOKEN = `${NOOP_PACKAGE}:index:RemoteMirror`;
const VERSION = "0.0.1";

/** The package schema: one resource whose properties are its inputs, echoed back as outputs. */
export function noopSchema(): Record<string, unknown> {
  const properties = {
    project: { type: "string" },
    url: { type: "string", secret: true },
    enabled: { type: "boolean" },
    syncOnApply: { type: "boolean" },
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
    },
  };
}

function changedKeys(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  return [...keys].filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
}

export function noopProvider(): provider.Provider {
  let nextId = 0;
  return {
    version: VERSION,
    schema: JSON.stringify(noopSchema()),
    check: async (_urn, _olds, news) => ({ inputs: news }),
    diff: async (_id, _urn, olds, news) => ({ changes: changedKeys(olds, news).length > 0 }),
    create: async (_urn, inputs) => {
      nextId += 1;
      return { id: `${process.pid}-${nextId}`, outs: inputs };
    },
    read: async (id, _urn, props) => ({ id, props }),
    update: async (_id, _urn, _olds, news) => ({ outs: news }),
    delete: async () => undefined,
  };
}
