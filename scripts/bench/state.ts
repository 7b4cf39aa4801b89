/**
 * What a stack's checkpoint costs per mirror: the file's size divided by N, and the compact JSON of one
 * mirror resource with and without the engine's `stackTrace`/`sourcePosition`, and its `__provider`
 * (the dynamic path's serialized provider, in the inputs and again in the outputs).
 */
import * as fs from "node:fs";

export interface StateSize {
  fileBytes: number;
  resources: number;
  mirrors: number;
  /** Averages over the mirror resources, in bytes of compact JSON. */
  perMirror: { total: number; withoutTrace: number; provider: number };
}

interface CheckpointResource {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  stackTrace?: unknown;
  sourcePosition?: unknown;
}

function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

/**
 * The mirror resources are those that are neither the stack nor a provider (types `pulumi:*`); each holds
 * one mirror, or a set of them: `mirrorCount` (when given) is what the bytes are shared by.
 */
export function measureState(file: string, mirrorCount?: number): StateSize | undefined {
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  const checkpoint = JSON.parse(text) as { checkpoint?: { latest?: { resources?: CheckpointResource[] } } };
  const resources = checkpoint.checkpoint?.latest?.resources ?? [];
  const mirrors = resources.filter((r) => !r.type.startsWith("pulumi:"));
  const sum = { total: 0, withoutTrace: 0, provider: 0 };
  for (const mirror of mirrors) {
    const { stackTrace: _trace, sourcePosition: _position, ...rest } = mirror;
    sum.total += jsonBytes(mirror);
    sum.withoutTrace += jsonBytes(rest);
    sum.provider += jsonBytes(mirror.inputs?.__provider) + jsonBytes(mirror.outputs?.__provider);
  }
  const held = mirrors.length === 0 ? 0 : (mirrorCount ?? mirrors.length);
  const per = (n: number): number => (held > 0 ? n / held : 0);
  return {
    fileBytes: Buffer.byteLength(text),
    resources: resources.length,
    mirrors: held,
    perMirror: { total: per(sum.total), withoutTrace: per(sum.withoutTrace), provider: per(sum.provider) },
  };
}
