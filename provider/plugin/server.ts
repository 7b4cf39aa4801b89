/**
 * The ResourceProvider gRPC service of the plugin, served with Pulumi's own stubs. It only converts
 * messages: requests to plain values (secrets unwrapped), results to messages (secrets wrapped, since
 * the plugin accepts secrets and the engine then marks nothing by itself), errors to gRPC statuses.
 *
 * Why not `@pulumi/pulumi/provider`'s server: it answers Configure itself and drops an explicit
 * provider's settings, leaves CheckConfig and DiffConfig unimplemented (so bad configuration cannot fail
 * at preview), calls `.toJavaScript()` on the absent properties of an import's Read, and cannot return a
 * detailed diff.
 */
import type * as grpc from "@grpc/grpc-js";
import { ProviderError } from "../errors";
import { partialStateOf } from "../partial-state";
import { entryKey } from "../project-mirrors";
import { Unwrapped, unwrapSecrets, wrapSecrets } from "./marshal";
import { Declaration, DeclaredTargets, describeUrn } from "./declared-targets";
import { ProjectMirrorsResource } from "./project-mirrors";
import { DiffKind, PluginDiff, RemoteMirrorPlugin } from "./adapter";
import { pulumiRpc } from "../pulumi-rpc";
import { capped, MAX_QUOTED, quoted } from "../quote";
import { redactAll } from "../redact";
import { PACKAGE_NAME, packageSchema, PROJECT_MIRRORS_TOKEN, REMOTE_MIRROR_TOKEN } from "./schema";

type Props = Record<string, unknown>;
type Callback = (error: grpc.ServiceError | null, value?: unknown, trailer?: grpc.Metadata) => void;
type Call = { request: any };
type Handler = (call: Call, callback: Callback) => void;

interface StructLike {
  toJavaScript(): Record<string, unknown>;
}

function plain(struct: StructLike | undefined): Unwrapped {
  return unwrapSecrets(struct?.toJavaScript());
}

function struct(value: Props, secretKeys: Iterable<string> = []) {
  return pulumiRpc().Struct.fromJavaScript(wrapSecrets(value, secretKeys) as never);
}

const REQUEST_STRUCTS = ["getNews", "getProperties", "getOlds", "getInputs", "getOldInputs", "getArgs"] as const;

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Every string the request marks secret (the engine's secret wrapper), wherever in the request it is. */
function secretTextsOf(request: any): string[] {
  const texts: string[] = [];
  for (const getter of REQUEST_STRUCTS) {
    const found = typeof request?.[getter] === "function" ? (request[getter]() as StructLike | undefined) : undefined;
    if (found === undefined) continue;
    const { value, secretKeys } = plain(found);
    for (const key of secretKeys) texts.push(...stringsIn(value[key]));
  }
  return texts;
}

/**
 * A failed call as a gRPC status; a mirror GitLab already holds travels as ErrorResourceInitFailed. The
 * engine prints the message as it is, so whatever the request marked secret (a url, or any input the
 * program made secret) is masked in it, wherever the message came from.
 */
function statusOf(err: unknown, secretKeys: Iterable<string>, secretTexts: readonly string[] = []): grpc.ServiceError {
  const rpc = pulumiRpc();
  // Past about 64 KB a grpc-js client never receives the answer at all.
  const message = capped(redactAll(err instanceof Error ? err.message : String(err), secretTexts));
  const metadata = new rpc.grpc.Metadata();
  const partial = partialStateOf(err);
  if (partial !== undefined) {
    const detail = new rpc.provider.ErrorResourceInitFailed();
    detail.setId(partial.id);
    detail.setProperties(struct(partial.properties, secretKeys));
    detail.setReasonsList(partial.reasons.map((reason) => capped(redactAll(reason, secretTexts))));
    const any = new rpc.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new rpc.Status();
    status.setCode(rpc.grpc.status.UNKNOWN);
    status.setMessage(message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code: rpc.grpc.status.UNKNOWN, details: message, metadata });
}

/** A unary call that answers once `delivered` says its log lines have reached the engine. */
function unary<T>(delivered: () => Promise<void>, run: (request: any) => Promise<T> | T, secretKeysOf: (request: any) => Iterable<string> = () => []): Handler {
  return (call, callback) => {
    Promise.resolve()
      .then(() => run(call.request))
      .finally(delivered)
      .then(
        (response) => callback(null, response),
        (err) => {
          const status = statusOf(err, secretKeysOf(call.request), secretTextsOf(call.request));
          callback(status, undefined, status.metadata);
        },
      );
  };
}

function unimplemented(name: string): Handler {
  return (_call, callback) => {
    const rpc = pulumiRpc();
    callback(Object.assign(new Error(`${name} is not implemented`), { code: rpc.grpc.status.UNIMPLEMENTED, details: `${name} is not implemented`, metadata: new rpc.grpc.Metadata() }));
  };
}

function checkFailures(failures: { property: string; reason: string }[]) {
  const rpc = pulumiRpc();
  return failures.map(({ property, reason }) => {
    const failure = new rpc.provider.CheckFailure();
    failure.setProperty(capped(property, MAX_QUOTED));
    failure.setReason(capped(reason));
    return failure;
  });
}

/** A resource type's calls, as both resource types of the plugin answer them. */
interface Lifecycle {
  diff(olds: Props, news: Props, oldInputs: Props | undefined, urn: string): PluginDiff;
  create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }>;
  read(urn: string, id: string, props: Props, inputs: Props): Promise<{ id: string; props?: Props; inputs?: Props }>;
  update(urn: string, id: string, olds: Props, news: Props, oldInputs: Props): Promise<{ outs: Props }>;
  delete(urn: string, id: string, props: Props, oldInputs?: Props): Promise<void>;
}

/** What the service needs of a resource type: its lifecycle, and where its secrets are. */
interface ResourceType {
  lifecycle: Lifecycle;
  /** Check, told where the program's secrets are (no reason may quote them). */
  check(sent: Unwrapped): { inputs: Props; failures: { property: string; reason: string }[] };
  /** The keys or paths to keep secret in recorded inputs and in outputs, given what the program sent as secret. */
  secretInputs(sent: Unwrapped): Iterable<string>;
  secretOutputs(sent: Unwrapped): Iterable<string>;
  /** The mirrors checked inputs declare, where their project and URLs are known. */
  declares(inputs: Props): { project: number | string; declarations: Declaration[] } | undefined;
}

function knownProject(value: unknown): number | string | undefined {
  return typeof value === "number" || typeof value === "string" ? value : undefined;
}

function declaration(path: string, url: unknown): Declaration[] {
  return typeof url === "string" ? [{ path, target: entryKey(url) }] : [];
}

function resourceTypes(plugin: RemoteMirrorPlugin): Map<string, ResourceType> {
  const sets = new ProjectMirrorsResource((urn) => plugin.contextFor(urn));
  // A RemoteMirror's inputs are flat: a top-level key is secret as a whole. A set's secrets sit in its entries.
  const mirror: ResourceType = {
    lifecycle: plugin,
    check: (sent) => plugin.check(sent.value, sent.secretKeys),
    secretInputs: (sent) => plugin.secretOutputs(sent.secretKeys),
    secretOutputs: (sent) => plugin.secretOutputs(sent.secretKeys),
    declares: (inputs) => {
      const project = knownProject(inputs.project);
      return project === undefined ? undefined : { project, declarations: declaration("url", inputs.url) };
    },
  };
  const set: ResourceType = {
    lifecycle: sets,
    check: (sent) => sets.check(sent.value, sent.secretPaths),
    secretInputs: (sent) => sets.secretInputs(sent.secretPaths),
    secretOutputs: (sent) => sets.secretOutputs(sent.secretPaths),
    declares: (inputs) => {
      const project = knownProject(inputs.project);
      if (project === undefined || !Array.isArray(inputs.mirrors)) return undefined;
      return { project, declarations: inputs.mirrors.flatMap((entry, i) => declaration(`mirrors[${i}].url`, (entry as Props | null)?.url)) };
    },
  };
  return new Map([
    [REMOTE_MIRROR_TOKEN, mirror],
    [PROJECT_MIRRORS_TOKEN, set],
  ]);
}

export interface ServerOptions {
  version: string;
  plugin: RemoteMirrorPlugin;
  /** Where the engine listens, when it tells us later (Attach). */
  onEngineAddress(address: string): void;
  /** Resolves once the lines logged so far have reached the engine. */
  logsDelivered(): Promise<void>;
}

/** The service implementation, keyed by the method names of Pulumi's ResourceProvider service. */
export function resourceProviderService({ version, plugin, onEngineAddress, logsDelivered }: ServerOptions): Record<string, Handler> {
  const rpc = pulumiRpc();
  const answer = <T>(run: (request: any) => Promise<T> | T, secretKeysOf?: (request: any) => Iterable<string>): Handler =>
    unary(logsDelivered, run, secretKeysOf);
  const P = rpc.provider;
  const diffKinds: Record<DiffKind, number> = {
    add: P.PropertyDiff.Kind.ADD,
    "add-replace": P.PropertyDiff.Kind.ADD_REPLACE,
    delete: P.PropertyDiff.Kind.DELETE,
    "delete-replace": P.PropertyDiff.Kind.DELETE_REPLACE,
    update: P.PropertyDiff.Kind.UPDATE,
    "update-replace": P.PropertyDiff.Kind.UPDATE_REPLACE,
  };
  const types = resourceTypes(plugin);
  const declared = new DeclaredTargets();
  /** Check failures for mirrors another resource of this run already declares. */
  const conflictsOf = (urn: string, type: ResourceType, inputs: Props) => {
    const declaring = type.declares(inputs);
    if (declaring === undefined) return [];
    return declared.claim(urn, declaring.project, declaring.declarations).map((conflict) => ({
      property: "",
      reason: `${conflict.path} has the same target as a mirror ${describeUrn(conflict.holder)} declares in project ${declaring.project}; declare each mirror once (GitLab holds one mirror per URL in a project)`,
    }));
  };
  const typeOf = (urn: string): ResourceType => {
    const type = types.get(urn.split("::")[2]?.split("$").pop() ?? "");
    if (type === undefined) throw new ProviderError(`the engine asked about an unknown resource type in URN ${quoted(urn)}`);
    return type;
  };
  // Secret outputs: the type's, plus whatever the program sent as a secret.
  const secretsOf = (request: { getUrn(): string; getProperties?(): StructLike | undefined; getNews?(): StructLike | undefined }) =>
    typeOf(request.getUrn()).secretOutputs(plain(request.getNews?.() ?? request.getProperties?.()));

  return {
    getPluginInfo: answer(() => {
      const info = new rpc.plugin.PluginInfo();
      info.setVersion(version);
      return info;
    }),
    getSchema: answer((req) => {
      if (req.getVersion() !== 0) throw new ProviderError(`the engine asked for schema version ${req.getVersion()}, which this provider does not serve`);
      const response = new P.GetSchemaResponse();
      response.setSchema(JSON.stringify(packageSchema(version)));
      return response;
    }),
    checkConfig: answer((req) => {
      const news = plain(req.getNews());
      const response = new P.CheckResponse();
      response.setInputs(struct(news.value, news.secretKeys));
      response.setFailuresList(checkFailures(plugin.checkConfig(req.getUrn(), news.value)));
      return response;
    }),
    diffConfig: answer((req) => {
      const result = plugin.diffConfig(plain(req.getOldInputs() ?? req.getOlds()).value, plain(req.getNews()).value);
      const response = new P.DiffResponse();
      response.setChanges(result.changes ? P.DiffResponse.DiffChanges.DIFF_SOME : P.DiffResponse.DiffChanges.DIFF_NONE);
      response.setDiffsList(result.diffs);
      return response;
    }),
    configure: answer(async (req) => {
      const args = plain(req.getArgs()).value;
      const variables = req.getVariablesMap();
      const variable = (key: string) => variables.get(`${PACKAGE_NAME}:config:${key}`);
      plugin.configure(req.getUrn?.() ?? "", {
        baseUrl: (args.baseUrl as string | undefined) ?? variable("baseUrl"),
        token: (args.token as string | undefined) ?? variable("token"),
        earlyAuthCheck: args.earlyAuthCheck ?? variable("earlyAuthCheck"),
      });
      await plugin.checkToken();
      const response = new P.ConfigureResponse();
      response.setAcceptsecrets(true);
      response.setSupportspreview(false);
      response.setAcceptresources(false);
      response.setAcceptoutputs(false);
      return response;
    }),
    check: answer((req) => {
      const type = typeOf(req.getUrn());
      const news = plain(req.getNews());
      const result = type.check(news);
      const failures = result.failures.length > 0 ? result.failures : conflictsOf(req.getUrn(), type, result.inputs);
      const response = new P.CheckResponse();
      response.setInputs(struct(result.inputs, type.secretInputs(news)));
      response.setFailuresList(checkFailures(failures));
      return response;
    }),
    diff: answer((req) => {
      const result = typeOf(req.getUrn()).lifecycle.diff(plain(req.getOlds()).value, plain(req.getNews()).value, plain(req.getOldInputs()).value, req.getUrn());
      const response = new P.DiffResponse();
      response.setChanges(result.changes ? P.DiffResponse.DiffChanges.DIFF_SOME : P.DiffResponse.DiffChanges.DIFF_NONE);
      response.setReplacesList(result.replaces);
      response.setDeletebeforereplace(result.deleteBeforeReplace);
      response.setDiffsList(Object.keys(result.detailed));
      response.setHasdetaileddiff(true);
      const detailed = response.getDetaileddiffMap();
      for (const [key, kind] of Object.entries(result.detailed)) {
        const diff = new P.PropertyDiff();
        diff.setKind(diffKinds[kind]);
        diff.setInputdiff(!(result.outputDiffs ?? []).includes(key));
        detailed.set(key, diff);
      }
      return response;
    }),
    create: answer(async (req) => {
      const type = typeOf(req.getUrn());
      const inputs = plain(req.getProperties());
      const result = await type.lifecycle.create(req.getUrn(), inputs.value);
      const response = new P.CreateResponse();
      response.setId(result.id);
      response.setProperties(struct(result.outs, type.secretOutputs(inputs)));
      return response;
    }, secretsOf),
    read: answer(async (req) => {
      const type = typeOf(req.getUrn());
      const props = plain(req.getProperties());
      const inputs = plain(req.getInputs());
      const sent: Unwrapped = {
        value: {},
        secretKeys: new Set([...props.secretKeys, ...inputs.secretKeys]),
        secretPaths: new Set([...props.secretPaths, ...inputs.secretPaths]),
      };
      const result = await type.lifecycle.read(req.getUrn(), req.getId(), props.value, inputs.value);
      const response = new P.ReadResponse();
      response.setId(result.id);
      if (result.props !== undefined) response.setProperties(struct(result.props, type.secretOutputs(sent)));
      if (result.inputs !== undefined) response.setInputs(struct(result.inputs, type.secretInputs(sent)));
      return response;
    }),
    update: answer(async (req) => {
      const type = typeOf(req.getUrn());
      const news = plain(req.getNews());
      const result = await type.lifecycle.update(req.getUrn(), req.getId(), plain(req.getOlds()).value, news.value, plain(req.getOldInputs()).value);
      const response = new P.UpdateResponse();
      response.setProperties(struct(result.outs, type.secretOutputs(news)));
      return response;
    }, secretsOf),
    delete: answer(async (req) => {
      await typeOf(req.getUrn()).lifecycle.delete(req.getUrn(), req.getId(), plain(req.getProperties()).value, plain(req.getOldInputs()).value);
      return new rpc.Empty();
    }),
    invoke: answer(async (req) => {
      const result = await plugin.invoke(req.getTok(), plain(req.getArgs()).value);
      const response = new P.InvokeResponse();
      if (result.result !== undefined) response.setReturn(struct(result.result));
      response.setFailuresList(checkFailures(result.failures));
      return response;
    }),
    attach: answer((req) => {
      onEngineAddress(req.getAddress());
      return new rpc.Empty();
    }),
    cancel: answer(() => new rpc.Empty()),
    getMapping: answer(() => {
      const response = new P.GetMappingResponse();
      response.setProvider("");
      response.setData("");
      return response;
    }),
    getMappings: answer(() => new P.GetMappingsResponse()),
    handshake: unimplemented("Handshake"),
    parameterize: unimplemented("Parameterize"),
    construct: unimplemented("Construct"),
    call: unimplemented("Call"),
    list: unimplemented("List"),
  };
}
