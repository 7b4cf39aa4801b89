/**
 * The engine's "not known yet" between its wire form and the core's marker (provider/mirror/unknown.ts).
 * Both adapters meet it in the same form: the plugin in the Structs of its requests, the dynamic provider
 * in the values the Node SDK hands it.
 */
import { UNKNOWN } from "./mirror/unknown";

/**
 * During a preview the engine sends a value it does not know yet as this string, in any field, whatever
 * the field's type (pulumi/pulumi#6310; `unknownValue` in the Node SDK's `runtime/rpc.ts`).
 */
export const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** `value` with the engine's unknowns, at any depth, replaced by the core's marker. */
export function decodeUnknowns(value: unknown): unknown {
  return replaced(value, ENGINE_UNKNOWN, UNKNOWN);
}

/**
 * `value` with the core's marker, at any depth, replaced by the engine's unknown. Only a preview's values
 * hold one: anything else (every output) is returned as it is, not copied.
 */
export function encodeUnknowns(value: unknown): unknown {
  return holdsUnknown(value) ? replaced(value, UNKNOWN, ENGINE_UNKNOWN) : value;
}

function holdsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnknown);
  for (const key in value) if (holdsUnknown((value as Record<string, unknown>)[key])) return true;
  return false;
}

/** A copy of `value` with `from`, at any depth of its lists and plain objects, replaced by `to`. */
function replaced(value: unknown, from: unknown, to: unknown): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaced(item, from, to));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaced(item, from, to)]));
  return value;
}

/** The properties of a request, decoded. */
export function decodeProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return decodeUnknowns(properties) as Record<string, unknown>;
}

/** The properties of an answer, encoded. */
export function encodeProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return encodeUnknowns(properties) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
