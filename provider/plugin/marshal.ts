/**
 * Property values between the engine's wire form and plain JavaScript. The plugin tells the engine it
 * accepts secrets, so a secret arrives wrapped in an object carrying Pulumi's secret signature, and
 * leaves wrapped the same way: the engine marks nothing secret on the way back by itself. A value the
 * engine does not know yet (preview) arrives as its unknown marker and is handed on as the core's
 * (provider/mirror/unknown.ts), and leaves as the engine's again.
 */
import { ENGINE_UNKNOWN, encodeUnknowns } from "../engine-unknowns";
import { UNKNOWN } from "../mirror/unknown";

/** The special-signature key and the secret's signature value (Pulumi's property-value encoding). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Unwrapped {
  value: Record<string, unknown>;
  /** The top-level keys whose value (or part of it) was secret. */
  secretKeys: Set<string>;
  /**
   * Where exactly the secrets were: `url` for a top-level value, `mirrors[].url` for a field of a list's
   * entries (`[]` stands for every index, since a list's order is no identity).
   */
  secretPaths: Set<string>;
}

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function unwrapValue(value: unknown, path: string, found: Set<string>): unknown {
  if (isSecret(value)) {
    found.add(path);
    return unwrapValue(value.value, path, found);
  }
  if (value === ENGINE_UNKNOWN) return UNKNOWN;
  if (Array.isArray(value)) return value.map((item) => unwrapValue(item, `${path}[]`, found));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapValue(v, `${path}.${k}`, found)]));
  }
  return value;
}

/** Plain values (the engine's unknowns as the core's marker), and where the secrets were. */
export function unwrapSecrets(properties: Record<string, unknown> | undefined): Unwrapped {
  const secretKeys = new Set<string>();
  const secretPaths = new Set<string>();
  const value: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(properties ?? {})) {
    const found = new Set<string>();
    value[key] = unwrapValue(raw, key, found);
    if (found.size > 0) secretKeys.add(key);
    for (const path of found) secretPaths.add(path);
  }
  return { value, secretKeys, secretPaths };
}

function wrap(value: unknown): unknown {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** `value` with what `rest` (the path below it: `[]`, `.field`, ...) names wrapped as a secret. */
function wrapAt(value: unknown, rest: string): unknown {
  if (value === undefined) return value;
  if (rest === "") return wrap(value);
  if (rest.startsWith("[]")) return Array.isArray(value) ? value.map((item) => wrapAt(item, rest.slice(2))) : value;
  const field = /^\.([^.[]+)(.*)$/.exec(rest);
  if (field === null || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const [, key, below] = field;
  const object = value as Record<string, unknown>;
  return key in object ? { ...object, [key]: wrapAt(object[key], below) } : object;
}

/**
 * The properties with the named keys, or paths (`mirrors[].url`), wrapped as secrets; undefined values
 * dropped; the core's unknowns as the engine's. A key that is secret as a whole needs no path below it.
 */
export function wrapSecrets(properties: Record<string, unknown>, secretPaths: Iterable<string>): Record<string, unknown> {
  const byKey = new Map<string, string[]>();
  for (const path of secretPaths) {
    const key = /^[^.[]+/.exec(path)?.[0] ?? path;
    byKey.set(key, [...(byKey.get(key) ?? []), path.slice(key.length)]);
  }
  const result: Record<string, unknown> = {};
  for (const [key, plain] of Object.entries(properties)) {
    if (plain === undefined) continue;
    const value = encodeUnknowns(plain);
    const below = byKey.get(key) ?? [];
    result[key] = below.includes("") ? wrap(value) : below.reduce<unknown>((acc, rest) => wrapAt(acc, rest), value);
  }
  return result;
}
