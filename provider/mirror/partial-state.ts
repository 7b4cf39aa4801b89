/**
 * Marks an error thrown after GitLab already holds the mirror. The dynamic provider host turns an error
 * carrying `id` into ErrorResourceInitFailed, so the engine records the mirror (with these properties)
 * instead of orphaning it, and the next `up` updates it.
 */
export interface PartialState {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

export function withPartialState(err: unknown, id: string, properties: object): Error & PartialState {
  const error = err instanceof Error ? err : new Error(String(err));
  // The properties hold the secret url input (the engine re-marks it secret in the state); keep them
  // out of JSON.stringify and util.inspect of the error so a logged error cannot leak it.
  for (const [key, value] of Object.entries({ id, properties: { ...properties }, reasons: [error.message] })) {
    Object.defineProperty(error, key, { value, enumerable: false, configurable: true, writable: true });
  }
  return error as Error & PartialState;
}

export function partialStateOf(err: unknown): PartialState | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const candidate = err as Partial<PartialState>;
  return typeof candidate.id === "string" && candidate.properties !== undefined ? (candidate as PartialState) : undefined;
}
