/**
 * The plugin's resource provider: translates between the engine's requests (plain values, secrets
 * unwrapped) and provider/mirror. No rule of the resource lives here; it only adds what a provider
 * plugin has and a dynamic provider has not: its own configuration per provider instance, import,
 * a detailed diff and the discovery function.
 */
import { isDeepStrictEqual } from "node:util";
import { PROVIDER_ARGUMENT_NAMES, type SettingNames, stackConfigNames } from "../connection-settings";
import { ProviderError, settingError } from "../errors";
import {
  CheckFailure,
  inputsToRecord,
  compactOutputs,
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
  expandOutputs,
  hideSecretProperties,
  checkInputs,
  listMirrors,
  MirrorContext,
  MirrorLogger,
  mirrorInputsSchema,
  MirrorOutputs,
  pollIntervalFromEnv,
  readMirror,
  SECRET_PROPERTIES,
  updateMirror,
  withEnvironmentFallback,
} from "../mirror";
import { inEngineForm } from "../partial-state";
import { quoted } from "../quote";
import { isUnknown } from "../mirror/unknown";
import { GET_REMOTE_MIRRORS_TOKEN, PACKAGE_NAME } from "./schema";

type Props = Record<string, unknown>;

export interface Settings {
  /** As given: a string, or the core's UNKNOWN during a preview. */
  baseUrl?: unknown;
  token?: unknown;
  /** true, false, or the text of a stack config value ("false"); see earlyAuthCheckEnabled. */
  earlyAuthCheck?: unknown;
}

/** The environment variable that switches the early token check off (`false`, `0`, `no` or `off`). */
export const EARLY_AUTH_CHECK_ENV = "GITLAB_MIRRORS_EARLY_AUTH_CHECK";

/**
 * Whether Configure asks GitLab whose the token is (one GET /user per provider instance), so that a
 * wrong token fails at preview. The provider's `earlyAuthCheck` setting wins over the environment; both
 * default to on, as Terraform's GitLab provider does (`early_auth_check`).
 */
/** Unset, a boolean, or a boolean written as text (stack config values are text). */
function isSwitch(value: unknown): boolean {
  return value === undefined || value === null || value === "" || typeof value === "boolean" || (typeof value === "string" && /^(true|false|1|0|yes|no|on|off)$/i.test(value.trim()));
}

export function earlyAuthCheckEnabled(setting: unknown, env: NodeJS.ProcessEnv): boolean {
  const off = (value: unknown) => value === false || (typeof value === "string" && /^(false|0|no|off)$/i.test(value.trim()));
  if (setting !== undefined && setting !== null && setting !== "") return !off(setting);
  return !off(env[EARLY_AUTH_CHECK_ENV]);
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


const DEFAULT_PROVIDER_NAMES = stackConfigNames(PACKAGE_NAME);

/** How a user names each setting: stack config for the default provider, an argument for an explicit one. */
function settingNamesFor(urn: string): SettingNames {
  return isDefaultProvider(urn) ? DEFAULT_PROVIDER_NAMES : PROVIDER_ARGUMENT_NAMES;
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
  throw inEngineForm(err, (state: MirrorOutputs) => compactOutputs({ ...state }));
}

/** The inputs the engine recorded, or undefined when it sent none (a resource recorded without them). */
function recordedInputs(oldInputs: Props | undefined): Props | undefined {
  return oldInputs !== undefined && Object.keys(oldInputs).length > 0 ? oldInputs : undefined;
}

export class RemoteMirrorPlugin {
  private settings: { baseUrl?: string; token?: string } = {};
  /** A setting was not known yet when the engine configured the provider (preview). */
  private settingUnknown = false;
  private urn = "";
  private earlyAuthCheck = true;
  /** Resources read for an import in this run (URN -> id), until their diff: see `warnOfImportDiff`. */
  private readonly imports = new Map<string, string>();

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
    // A setting not known yet (preview) cannot be judged; the early token check skips it too.
    const judged = connectionFailures(withEnvironmentFallback(news, this.env), settingNamesFor(urn)).filter((failure) => !isUnknown(news[failure.setting]));
    const failures = hideSecretProperties(judged);
    if (!isSwitch(news.earlyAuthCheck) && !isUnknown(news.earlyAuthCheck)) {
      const name = isDefaultProvider(urn) ? `${PACKAGE_NAME}:earlyAuthCheck` : "the provider's earlyAuthCheck";
      failures.push({ property: "", reason: `${name} must be true or false` });
    }
    return failures;
  }

  /** DiffConfig: a new base URL or token changes the provider, and never replaces the mirrors. */
  diffConfig(olds: Props, news: Props): { changes: boolean; diffs: string[] } {
    const diffs = ["baseUrl", "token"].filter((key) => (olds[key] ?? null) !== (news[key] ?? null));
    return { changes: diffs.length > 0, diffs };
  }

  configure(urn: string, given: Settings): void {
    this.urn = urn;
    this.settings = withEnvironmentFallback(given, this.env);
    this.settingUnknown = isUnknown(given.baseUrl) || isUnknown(given.token);
    this.earlyAuthCheck = earlyAuthCheckEnabled(given.earlyAuthCheck, this.env);
  }

  /**
   * The early token check, run once per provider instance after Configure: GET /user, so that a wrong,
   * expired or revoked token fails at preview, naming the setting, rather than at the first mirror that
   * needs GitLab (an unchanged stack's preview sends no other request). Skipped when switched off, and
   * when a setting is missing, invalid or not yet known (CheckConfig reports the first two).
   */
  async checkToken(): Promise<void> {
    const { baseUrl, token } = this.settings;
    if (!this.earlyAuthCheck || baseUrl === undefined || token === undefined) return;
    if (this.settingUnknown || connectionFailures({ baseUrl, token }, settingNamesFor(this.urn)).length > 0) return;
    try {
      await this.context(this.urn).client.users.current();
    } catch (err) {
      throw this.tokenCheckError(err);
    }
  }

  private tokenCheckError(err: unknown): Error {
    const status = (err as { status?: unknown }).status;
    const names = settingNamesFor(this.urn);
    const skip = `(this check sends one GET /user per provider; to skip it, set ${isDefaultProvider(this.urn) ? `${PACKAGE_NAME}:earlyAuthCheck` : "the provider's earlyAuthCheck"} to false or ${EARLY_AUTH_CHECK_ENV}=false)`;
    if (status === 401) {
      return settingError(
        names,
        "token",
        `was refused by GitLab (GET /user answered 401 Unauthorized): it is wrong, expired or revoked. Set a valid one: ${names.token.howToSet}${names.token.envVar ? ` or set ${names.token.envVar}` : ""} ${skip}`,
      );
    }
    if (status === 403) {
      return settingError(names, "token", `may not read its own user (GET /user answered 403 Forbidden): give the token the api scope ${skip}`);
    }
    const message = err instanceof Error ? err.message : String(err);
    return settingError(names, "baseUrl", `could not be used to check the token: ${message} ${skip}`);
  }

  /** `secretInputs`: the inputs the program marked secret; their values never appear in a failure. */
  check(news: Props, secretInputs: Iterable<string> = []): { inputs: Props; failures: CheckFailure[] } {
    const failures = hideSecretProperties(checkInputs(news), secretInputs, news);
    return { inputs: failures.length > 0 ? news : inputsToRecord(news), failures };
  }

  diff(olds: Props, news: Props, oldInputs: Props | undefined, urn?: string): PluginDiff {
    const result = diffMirror(decodeRecordedInputs({ ...olds, ...recordedInputs(oldInputs) }), decodePlannedInputs(news));
    if (urn !== undefined) this.warnOfImportDiff(urn, result);
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
    const result = await createMirror(this.context(urn), decodeMirrorInputs(inputs)).catch(compactPartialState);
    return { id: result.id, outs: compactOutputs({ ...result.state }) };
  }

  /** Refresh, and import (no properties, no inputs: everything comes from GitLab). */
  async read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; props?: Props; inputs?: Props }> {
    const stored = Object.keys(props).length > 0 ? expandOutputs(props, inputs) : inputs;
    const result = await readMirror(this.context(urn), id, decodeMirrorState(id, stored));
    if (result.gone) return { id: "" };
    if (Object.keys(props).length === 0 && Object.keys(inputs).length === 0) this.imports.set(urn, id);
    // Without inputs in the answer the engine keeps the recorded ones: a mirror as recorded costs no more.
    const found = inputsToRecord(result.inputs);
    const unchanged = Object.keys(inputs).length > 0 && isDeepStrictEqual(found, inputs);
    return { id: result.id, props: compactOutputs({ ...result.state }), inputs: unchanged ? undefined : found };
  }

  async update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<{ outs: Props }> {
    const inputs = decodeMirrorInputs(news);
    // The recorded inputs are what the new ones are compared with: they hold the URL as the program last
    // gave it, also after an import (whose outputs hold only GitLab's masked URL).
    const recorded = recordedInputs(oldInputs) ?? {};
    const stored = decodeMirrorState(id, { ...expandOutputs(olds, recorded), ...recorded });
    const result = await updateMirror(this.context(urn), id, stored, inputs).catch(compactPartialState);
    return { outs: compactOutputs({ ...result.state }) };
  }

  async delete(urn: string, id: string, props: Props, oldInputs: Props = {}): Promise<void> {
    await deleteMirror(this.context(urn), id, decodeMirrorState(id, expandOutputs(props, oldInputs)));
  }

  async invoke(token: string, args: Props): Promise<{ result?: Props; failures: CheckFailure[] }> {
    if (token !== GET_REMOTE_MIRRORS_TOKEN) throw new ProviderError(`the engine invoked an unknown function ${quoted(token)}`);
    if (args.project === undefined || args.project === null) return { failures: [{ property: "project", reason: "is required" }] };
    const parsed = mirrorInputsSchema.shape.project.safeParse(args.project);
    if (!parsed.success) return { failures: [{ property: "project", reason: parsed.error.issues[0].message }] };
    const listed = await listMirrors(args.project as number | string, this.context(this.urn));
    return { result: { projectId: listed.projectId, mirrors: listed.mirrors }, failures: [] };
  }

  /**
   * The `import` resource option does not stop at declared inputs that differ from the mirror GitLab has:
   * the engine imports the mirror as it is, then, in the same run, updates it (or replaces it, for `url`
   * or `project`) to the declared inputs. The preview shows only an import; this warning says the rest.
   */
  private warnOfImportDiff(urn: string, result: { changes: boolean; replaces: string[]; updates: string[] }): void {
    const id = this.imports.get(urn);
    if (id === undefined) return;
    this.imports.delete(urn);
    if (!result.changes) return;
    const fields = [...result.replaces, ...result.updates].join(", ");
    const then = result.replaces.length > 0 ? `replaces it (${result.replaces.join(", ")} cannot change in place)` : "updates it to match";
    this.log(
      "warning",
      `importing mirror ${id}: the declared inputs differ from the mirror GitLab has (${fields}). Pulumi imports the mirror as it is, ` +
        `then ${then} in the same run. To import without changing the mirror, declare what GitLab has for ${fields}.`,
      urn,
    );
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
    return createMirrorContext({
      ...this.settings,
      settingNames: settingNamesFor(this.urn),
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

