/**
 * A value not known yet: during a preview the program may give an input that another resource has not
 * produced. This is the core's own marker for it. Each adapter turns the engine's way of saying
 * "unknown" into this marker when it decodes the engine's values, and back when it answers, so no rule
 * of the core depends on how an engine spells it. A registered symbol: never equal to anything a
 * program can give, and the same in two copies of the package.
 */
export const UNKNOWN: unique symbol = Symbol.for("gitlab-mirrors.unknown");

export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}
