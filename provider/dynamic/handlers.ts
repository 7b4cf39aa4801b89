/**
 * The dynamic provider's implementation, loaded at run time by the serialized provider (provider.ts).
 * It only translates between pulumi.dynamic shapes and provider/mirror; no rule of the resource lives here.
 */
import { createEngineLog, engineAddressOf } from "../engine-log";
import { GITLAB_CONFIG_NAMES } from "../connection-settings";
import {
  inputsToRecord,
  connectionFailures,
  createMirror,
  createMirrorContext,
  debugLogFromEnv,
  decodeMirrorInputs,
  decodeMirrorState,
  decodePlannedInputs,
  decodeRecordedInputs,
  deleteMirror,
  diffMirror,
  hideSecretProperties,
  checkInputs,
  MirrorContext,
  MirrorLogger,
  pollIntervalFromEnv,
  readMirror,
  updateMirror,
  MirrorOutputs,
  withEnvironmentFallback,
} from "../mirror";
import { decodeProperties, encodeProperties } from "../engine-unknowns";
import { inEngineForm } from "../partial-state";

type Props = Record<string, unknown>;

interface Settings {
  baseUrl?: string;
  token?: string;
}

/** The connection settings are the stack config keys pulumi-gitlab reads too; every message names them so. */
const SETTING_NAMES = GITLAB_CONFIG_NAMES;

// One per provider process: every resource of an engine run shares the settings.
const processState: { configured: Settings } = { configured: {} };

const PROVIDER_KEY = "__provider";

/**
 * A line per notable step (routine ones only with GITLAB_MIRRORS_LOG=debug). The engine shows a dynamic
 * provider's stderr as info lines of the stack, so warnings go through the engine's Log service instead
 * (the dynamic-provider host is started with the engine's address as its last argument), to show as warnings.
 */
const engineLog = createEngineLog(engineAddressOfHost());
const logger: MirrorLogger = {
  debug: (message) => (debugLogFromEnv() ? logger.info(message) : undefined),
  info: (message) => process.stderr.write(`[gitlab-mirrors] ${message}\n`),
  warn: (message) => engineLog("warning", message),
};

function engineAddressOfHost(): string | undefined {
  const [, script, ...args] = process.argv;
  const address = engineAddressOf(args);
  return /[\\/]cmd[\\/]dynamic-provider[\\/]/.test(script ?? "") && /^[\w.[\]:-]+:\d+$/.test(address ?? "") ? address : undefined;
}

/** Reads `gitlab:baseUrl` and `gitlab:token` from the stack config synchronously, before anything awaits. */
export async function configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
  processState.configured = {
    baseUrl: req.config.get(SETTING_NAMES.baseUrl.name),
    token: req.config.get(SETTING_NAMES.token.name),
  };
}

/** Stack config first, then the environment, read at call time (a token rotated before destroy works). */
function connection(): Settings {
  return withEnvironmentFallback(processState.configured);
}

function context(): MirrorContext {
  return createMirrorContext({ ...connection(), settingNames: SETTING_NAMES, logger, pollIntervalMs: pollIntervalFromEnv() });
}

/** The engine's unknowns (preview) reach the core as its own marker, and go back as the engine's. */
export async function check(_olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const given = decodeProperties(news);
  const failures = hideSecretProperties([...connectionFailures(connection(), SETTING_NAMES), ...checkInputs(given)], [], given);
  return { inputs: failures.length > 0 ? news : encodeProperties(inputsToRecord(given)), failures };
}

export async function diff(
  _id: string,
  olds: Props,
  news: Props,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  const result = diffMirror(decodeRecordedInputs(decodeProperties(olds)), decodePlannedInputs(decodeProperties(news)));
  return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.deleteBeforeReplace };
}

/** The call's result once its log lines have reached the engine, whether it succeeded or failed. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    await engineLog.delivered();
  }
}

/** A partially created/updated mirror is recorded by the engine: keep `__provider` so it can be managed. */
function keepingProvider(err: unknown, inputs: Props): unknown {
  return inEngineForm(err, (state: MirrorOutputs) => ({ ...state, [PROVIDER_KEY]: inputs[PROVIDER_KEY] }));
}

export function create(inputs: Props): Promise<{ id: string; outs: Props }> {
  return answer(async () => {
    try {
      const result = await createMirror(context(), decodeMirrorInputs(inputs));
      return { id: result.id, outs: { ...result.state } };
    } catch (err) {
      throw keepingProvider(err, inputs);
    }
  });
}

export function read(id: string, props: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
  return answer(async () => {
    const result = await readMirror(context(), id, decodeMirrorState(id, props));
    // An empty id tells the engine the resource is gone.
    if (result.gone) return { id: "" };
    return { id: result.id, props: { ...result.state }, inputs: inputsToRecord(result.inputs) };
  });
}

export function update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  return answer(async () => {
    try {
      const inputs = decodeMirrorInputs(news);
      const result = await updateMirror(context(), id, decodeMirrorState(id, olds), inputs);
      return { outs: { ...result.state } };
    } catch (err) {
      throw keepingProvider(err, news);
    }
  });
}

export function remove(id: string, props: Props): Promise<void> {
  return answer(async () => deleteMirror(context(), id, decodeMirrorState(id, props)));
}
