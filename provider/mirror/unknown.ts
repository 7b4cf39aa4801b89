/**
 * During preview the engine sends values it does not know yet as this sentinel string, in any field,
 * whatever the field's type (pulumi/pulumi#6310; `runtime/rpc.ts` `unknownValue`).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is typeof UNKNOWN {
  return value === UNKNOWN;
}
