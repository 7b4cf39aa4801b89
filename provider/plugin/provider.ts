/**
 * The plugin's resource provider: translates between the engine's requests (plain values, secrets
 * unwrapped) and provider/mirror. No rule of the resource lives here; it only adds what a provider
 * plugin has and a dynamic provider has not: its own configuration per provider instance, import,
 * a detailed diff and the discovery function.
 */
import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "../errors";
import {
  CheckFailure,
  checkedInputs,
  compactOutputs,
  CONNECTION_ENV,
  connectionProblems,
  ConnectionSetting,
  createMirror,
  createMirrorContext,
  debugLogFromEnv,
  deleteMirror,
  diffMirror,
  expandOutputs,
  failuresForEngine,
  inputFailures,
  listMirrors,
  MirrorContext,
  MirrorLogger,
  mirrorInputsSchema,
  partialStateOf,
  pollIntervalFromEnv,
  readMirror,
  SECRET_PROPERTIES,
  updateMirror,
  withEnvironmentFallback,
} from "../mirror";
import { GET_REMOTE_MIRRORS_TOKEN, PACKAGE_NAME } from "./schema";

type Props = Record<string, unknown>;

export interface Settings {
  baseUrl?: string;
  token?: string;
}

export type DiffKind = "add" | "update" | "delete" | "add-replace" | "update-replace" | "delete-replace";

export interface PluginDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Per changed input, what the change does: the engine shows exactly these. */
  detailed: Record<string, DiffKind>;
  /** Keys of `detailed` that compare the recorded outputs (not the recorded inputs) with the new inputs. */
  outputDiffs?: string[];
}

/** Sends a log line to the engine, attached to the resource it is about. */
export type EngineLog = (severity: "info" | "warning", message: string, urn?: string) => void;


/** How a user sets each setting: stack config for the default provider, an argument for an explicit one. */
function settingName(setting: ConnectionSetting, urn: string): { name: string; fix: string } {
  if (isDefaultProvider(urn)) {
    const key = `${PACKAGE_NAME}:${setting}`;
    const command = setting === "token" ? `pulumi config set --secret ${key} <token>` : `pulumi config set ${key} https://gitlab.example.com`;
    return { name: key, fix: `run \`${command}\` or set ${CONNECTION_ENV[setting]}` };
  }
  return { name: `the provider's ${setting}`, fix: `give the provider resource a ${setting} or set ${CONNECTION_ENV[setting]}` };
}

/** Default providers are named `default` or `default_<version>` by the engine. */
function isDefaultProvider(urn: string): boolean {
  return /::default(_[0-9_]+)?$/.test(urn) || urn === "";
}


/**
 * The engine records a resource's inputs beside its outputs and hands both back on every call, so the
 * plugin stores compact outputs (no copies of inputs GitLab does not report) and expands them on the way in.
 * A step that fails after GitLab holds the mirror records compact outputs too.
 */
function compactPartialState(err: unknown): never {
  const partial = partialStateOf(err);
  if (partial !== undefined) partial.properties = compactOutputs(partial.properties);
  throw err;
}

/** The inputs the engine recorded, or undefined when it sent none (a resource recorded without them). */
function recordedInputs(oldInputs: Props | undefined): Props | undefined {
  return oldInputs !== undefined && Object.keys(oldInputs).length > 0 ? oldInputs : undefined;
}

export class RemoteMirrorPlugin {
  private settings: Settings = {};
  private urn = "";

  /** Read once, at start-up: a plugin process keeps the environment the engine started it with. */
  private readonly debugLog: boolean;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly log: EngineLog,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.debugLog = debugLogFromEnv(env);
    this.pollIntervalMs = pollIntervalFromEnv(env);
  }

  /** CheckConfig: every problem of the provider's settings, at preview, naming what the user sets. */
  checkConfig(urn: string, news: Props): CheckFailure[] {
    const settings = withEnvironmentFallback(news, this.env);
    return connectionProblems(settings).map(({ setting, reason }) => {
      const { name, fix } = settingName(setting, urn);
      return { property: "", reason: `${name} ${reason === "is not set" ? `is not set; ${fix}` : reason}` };
    });
  }

  /** DiffConfig: a new base URL or token changes the provider, and never replaces the mirrors. */
  diffConfig(olds: Props, news: Props): { changes: boolean; diffs: string[] } {
    const diffs = ["baseUrl", "token"].filter((key) => (olds[key] ?? null) !== (news[key] ?? null));
    return { changes: diffs.length > 0, diffs };
  }

  configure(urn: string, given: Settings): void {
    this.urn = urn;
    this.settings = withEnvironmentFallback(given, this.env);
  }

  check(news: Props): { inputs: Props; failures: CheckFailure[] } {
    const failures = failuresForEngine(inputFailures(news));
    return { inputs: failures.length > 0 ? news : checkedInputs(news), failures };
  }

  diff(olds: Props, news: Props, oldInputs: Props | undefined): PluginDiff {
    const result = diffMirror(olds, news, recordedInputs(oldInputs));
    const detailed: Record<string, DiffKind> = {};
    const before = { ...olds, ...(oldInputs ?? {}) };
    for (const field of [...result.replaces, ...result.updates]) {
      const replace = result.replaces.includes(field);
      const kind = before[field] === undefined ? "add" : news[field] === undefined ? "delete" : "update";
      detailed[field] = (replace ? `${kind}-replace` : kind) as DiffKind;
    }
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: result.deleteBeforeReplace, detailed };
  }

  async create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const result = await createMirror(inputs, this.context(urn)).catch(compactPartialState);
    return { id: result.id, outs: compactOutputs(result.outs) };
  }

  /** Refresh, and import (no properties, no inputs: everything comes from GitLab). */
  async read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const stored = Object.keys(props).length > 0 ? expandOutputs(props, inputs) : inputs;
    const result = await readMirror(id, stored, this.context(urn));
    if (result.gone) return { id: "" };
    // Without inputs in the answer the engine keeps the recorded ones: a mirror as recorded costs no more.
    const unchanged = Object.keys(inputs).length > 0 && isDeepStrictEqual(result.inputs, inputs);
    return { id: result.id, props: compactOutputs(result.props), inputs: unchanged ? undefined : result.inputs };
  }

  async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<{ outs: Props }> {
    const recorded = recordedInputs(oldInputs);
    const stored = expandOutputs(olds, recorded ?? {});
    const result = await updateMirror(id, stored, news, this.context(urn), recorded).catch(compactPartialState);
    return { outs: compactOutputs(result.outs) };
  }

  async delete(urn: string, id: string, props: Props, oldInputs: Props = {}): Promise<void> {
    await deleteMirror(id, expandOutputs(props, oldInputs), this.context(urn));
  }

  async invoke(token: string, args: Props): Promise<{ result?: Props; failures: CheckFailure[] }> {
    if (token !== GET_REMOTE_MIRRORS_TOKEN) throw new Error(`unknown function ${token}`);
    if (args.project === undefined || args.project === null) return { failures: [{ property: "project", reason: "is required" }] };
    const parsed = mirrorInputsSchema.shape.project.safeParse(args.project);
    if (!parsed.success) return { failures: [{ property: "project", reason: parsed.error.issues[0].message }] };
    const listed = await listMirrors(args.project as number | string, this.context(this.urn));
    return { result: { projectId: listed.projectId, mirrors: listed.mirrors }, failures: [] };
  }

  /** Which output properties are secret: the table's, plus any input the program made secret. */
  secretOutputs(secretInputs: Iterable<string>): Set<string> {
    return new Set([...SECRET_PROPERTIES, ...secretInputs]);
  }

  /** The context of a call about the resource `urn`, with this provider instance's settings. */
  contextFor(urn: string): MirrorContext {
    return this.context(urn);
  }

  private context(urn: string): MirrorContext {
    const { baseUrl, token } = this.settings;
    for (const [setting, value] of [["baseUrl", baseUrl], ["token", token]] as const) {
      if (value === undefined) {
        const { name, fix } = settingName(setting, this.urn);
        throw new ConfigError(name, `is not set; ${fix}`);
      }
    }
    return createMirrorContext({
      baseUrl: baseUrl as string,
      token: token as string,
      logger: this.logger(urn),
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  private logger(urn: string): MirrorLogger {
    return {
      debug: (message) => (this.debugLog ? this.log("info", message, urn) : undefined),
      info: (message) => this.log("info", message, urn),
      warn: (message) => this.log("warning", message, urn),
    };
  }
}

