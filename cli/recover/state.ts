/**
 * Reading a stack's exported state (`pulumi stack export --show-secrets`): the pending creates of our
 * mirrors, on either path, with the connection settings each was made with. Pure: no CLI, no network.
 */

/** A resource as `pulumi stack export` prints it (only the fields read here). */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  provider?: string;
}

export interface ExportedDeployment {
  resources?: ExportedResource[];
  pending_operations?: Array<{ resource: ExportedResource; type: string }>;
}

/** The plugin's resource type, and the type every dynamic resource shares (ours carry our handlers' path). */
export const PLUGIN_MIRROR_TYPE = "gitlab-mirrors:index:RemoteMirror";
const PLUGIN_PROVIDER_TYPE = "pulumi:providers:gitlab-mirrors";
/** Dynamic resources' types: `pulumi-nodejs:dynamic:Resource`, or `pulumi-nodejs:dynamic/<name>` as our SDK names them. */
const DYNAMIC_TYPE = /^pulumi-nodejs:dynamic[:/]/;
const DYNAMIC_HANDLERS = "gitlab-mirrors/provider/dynamic/handlers";

export type MirrorPath = "plugin" | "dynamic";

/** The connection a mirror's provider was given; unset parts fall back to the environment, as the provider does. */
export interface Connection {
  baseUrl?: string;
  token?: string;
}

/** A create the engine started and never saw finish: GitLab may or may not hold its mirror. */
export interface PendingCreate {
  urn: string;
  path: MirrorPath;
  /** The `project` input: a numeric id or a full path. */
  project: number | string;
  /** The `url` input, credentials included (a secret: never shown). */
  url: string;
  /** From the state (plugin path: the provider resource's inputs); the dynamic path reads the stack config. */
  connection: Connection;
}

/** A pending create of ours that cannot be recovered, and why (a secret is never quoted). */
export interface UnreadablePending {
  urn: string;
  reason: string;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** A value as the export prints it: `--show-secrets` leaves secrets wrapped, with their plaintext as JSON. */
export function plainValue(value: unknown): unknown {
  if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] !== undefined) {
    const { plaintext, ciphertext } = value as { plaintext?: unknown; ciphertext?: unknown };
    if (typeof plaintext === "string") return JSON.parse(plaintext) as unknown;
    if (ciphertext !== undefined) throw new Error("the state's secrets are encrypted: export it with --show-secrets");
    return (value as { value?: unknown }).value;
  }
  return value;
}

function ourPath(resource: ExportedResource): MirrorPath | undefined {
  if (resource.type === PLUGIN_MIRROR_TYPE) return "plugin";
  if (DYNAMIC_TYPE.test(resource.type)) {
    const provider = plainValue(resource.inputs?.__provider);
    if (typeof provider === "string" && provider.includes(DYNAMIC_HANDLERS)) return "dynamic";
  }
  return undefined;
}

/** `urn::id` → the provider resource's settings (baseUrl, token), as the engine recorded its inputs. */
function pluginConnection(deployment: ExportedDeployment, providerRef: string | undefined): Connection {
  if (providerRef === undefined) return {};
  const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
  const provider = deployment.resources?.find((r) => r.urn === urn && r.type === PLUGIN_PROVIDER_TYPE);
  const inputs = provider?.inputs ?? {};
  const text = (key: string): string | undefined => {
    const value = plainValue(inputs[key]);
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  return { baseUrl: text("baseUrl"), token: text("token") };
}

/**
 * The pending creates of our mirrors (plugin or dynamic), those of ours whose inputs cannot be read, and the
 * URNs of the stack's other pending creates (not ours to decide).
 */
export function pendingMirrorCreates(deployment: ExportedDeployment): { pending: PendingCreate[]; unreadable: UnreadablePending[]; others: string[] } {
  const pending: PendingCreate[] = [];
  const unreadable: UnreadablePending[] = [];
  const others: string[] = [];
  for (const operation of deployment.pending_operations ?? []) {
    const resource = operation.resource;
    if (operation.type !== "creating") continue;
    const path = ourPath(resource);
    if (path === undefined) {
      others.push(resource.urn);
      continue;
    }
    const project = plainValue(resource.inputs?.project);
    const url = plainValue(resource.inputs?.url);
    if ((typeof project !== "number" && typeof project !== "string") || typeof url !== "string") {
      unreadable.push({ urn: resource.urn, reason: "its project or url input is not recorded (an unknown value at the time of the create?)" });
      continue;
    }
    const connection = path === "plugin" ? pluginConnection(deployment, resource.provider) : {};
    pending.push({ urn: resource.urn, path, project, url, connection });
  }
  return { pending, unreadable, others };
}

/** The `<projectId>:<mirrorId>` ids of the mirrors the state already manages (on either path). */
export function managedMirrorIds(deployment: ExportedDeployment): Set<string> {
  return new Set((deployment.resources ?? []).filter((r) => ourPath(r) !== undefined && typeof r.id === "string").map((r) => r.id as string));
}

/**
 * The deployment with each pending create of `imports` turned into a resource with the given id (its
 * recorded inputs as its state until a refresh reads it) and each of `clears` dropped. Used with
 * `pulumi stack import`, which keeps no pending operation at all: call it only when these are all of them.
 */
export function resolvePendingCreates<T extends { deployment: ExportedDeployment }>(
  exported: T,
  imports: ReadonlyMap<string, string>,
  clears: ReadonlySet<string>,
): T {
  const operations = exported.deployment.pending_operations ?? [];
  const imported = operations
    .filter((op) => op.type === "creating" && imports.has(op.resource.urn))
    .map((op) => ({ ...op.resource, id: imports.get(op.resource.urn), outputs: op.resource.outputs ?? op.resource.inputs }));
  const remaining = operations.filter((op) => !(op.type === "creating" && (imports.has(op.resource.urn) || clears.has(op.resource.urn))));
  return {
    ...exported,
    deployment: { ...exported.deployment, resources: [...(exported.deployment.resources ?? []), ...imported], pending_operations: remaining },
  };
}
