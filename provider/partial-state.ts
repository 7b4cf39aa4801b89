import { StepFailedAfterChangeError } from "./errors";

/**
 * The engine's form of a step that failed after GitLab changed: the error thrown carries the resource's
 * `id` and its state as plain `properties`, and `reasons`. The dynamic provider host reads these from the
 * thrown error, and the plugin's server packs them into ErrorResourceInitFailed, so the engine records the
 * mirror (with these properties) instead of orphaning it, and the next `up` updates it. The core never
 * builds this form: it throws StepFailedAfterChangeError, and each adapter encodes its state here.
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

/**
 * The error to hand the engine: a core's StepFailedAfterChangeError becomes its cause carrying the state
 * `encode` makes of the typed state; any other error is returned as it is.
 */
export function inEngineForm<State>(err: unknown, encode: (state: State) => object): unknown {
  if (!(err instanceof StepFailedAfterChangeError)) return err;
  return withPartialState(err.cause, err.id, encode(err.state as State));
}

export function partialStateOf(err: unknown): PartialState | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const candidate = err as Partial<PartialState>;
  return typeof candidate.id === "string" && candidate.properties !== undefined ? (candidate as PartialState) : undefined;
}
