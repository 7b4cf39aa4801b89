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

/** Mirrors are the resources that are neither the stack nor a provider (types `pulumi:*`). */
export function measureState(file: string): StateSize | undefined {
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
  const per = (n: number): number => (mirrors.length > 0 ? n / mirrors.length : 0);
  return {
    fileBytes: Buffer.byteLength(text),
    resources: resources.length,
    mirrors: mirrors.length,
    perMirror: { total: per(sum.total), withoutTrace: per(sum.withoutTrace), provider: per(sum.provider) },
  };
}
