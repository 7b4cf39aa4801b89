/**
 * Property values between the engine's wire form and plain JavaScript. The plugin tells the engine it
 * accepts secrets, so a secret arrives wrapped in an object carrying Pulumi's secret signature, and
 * leaves wrapped the same way: the engine marks nothing secret on the way back by itself.
 */

/** The special-signature key and the secret's signature value (Pulumi's property-value encoding). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface Unwrapped {
  value: Record<string, unknown>;
  /** The top-level keys whose value (or part of it) was secret. */
  secretKeys: Set<string>;
}

function isSecret(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function unwrapValue(value: unknown, found: { secret: boolean }): unknown {
  if (isSecret(value)) {
    found.secret = true;
    return unwrapValue(value.value, found);
  }
  if (Array.isArray(value)) return value.map((item) => unwrapValue(item, found));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapValue(v, found)]));
  }
  return value;
}

/** Plain values, and which top-level keys held a secret anywhere inside. */
export function unwrapSecrets(properties: Record<string, unknown> | undefined): Unwrapped {
  const secretKeys = new Set<string>();
  const value: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(properties ?? {})) {
    const found = { secret: false };
    value[key] = unwrapValue(raw, found);
    if (found.secret) secretKeys.add(key);
  }
  return { value, secretKeys };
}

/** The properties with the named keys wrapped as secrets; undefined values dropped. */
export function wrapSecrets(properties: Record<string, unknown>, secretKeys: Iterable<string>): Record<string, unknown> {
  const secret = new Set(secretKeys);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    result[key] = secret.has(key) ? { [SIG_KEY]: SECRET_SIG, value } : value;
  }
  return result;
}
