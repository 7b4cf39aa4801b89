/**
 * The plugin's Pulumi package schema, built from the field table (provider/mirror/fields.ts): the
 * generated SDKs, `pulumi package get-schema` and the docs of every language come from it.
 */
import { z } from "zod";
import { ProviderError } from "../errors";
import {
  fieldMeta,
  INPUT_FIELDS,
  InputField,
  mirrorInfoSchema,
  mirrorInputsSchema,
  mirrorOutputOnlySchema,
  OUTPUT_ONLY_FIELDS,
  outputMeta,
  REPORTED_INPUT_FIELDS,
} from "../mirror";
import { ENTRY_FIELDS, EXCLUSIVE_DESCRIPTION } from "../project-mirrors";

export const PACKAGE_NAME = "gitlab-mirrors";
export const REMOTE_MIRROR_TOKEN = `${PACKAGE_NAME}:index:RemoteMirror`;
export const GET_REMOTE_MIRRORS_TOKEN = `${PACKAGE_NAME}:index:getRemoteMirrors`;
export const MIRROR_INFO_TOKEN = `${PACKAGE_NAME}:index:RemoteMirrorInfo`;
export const PROJECT_MIRRORS_TOKEN = `${PACKAGE_NAME}:index:ProjectMirrors`;
export const MIRROR_ENTRY_TOKEN = `${PACKAGE_NAME}:index:MirrorEntry`;
export const MIRROR_ENTRY_STATE_TOKEN = `${PACKAGE_NAME}:index:MirrorEntryState`;
export const UNMANAGED_MIRROR_TOKEN = `${PACKAGE_NAME}:index:UnmanagedMirror`;

/** Where each language's generated SDK lives; the Go path is also the module path of sdk/go. */
export const GO_IMPORT_BASE_PATH = "github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors";
export const PYTHON_PACKAGE_NAME = "pulumi_gitlab_mirrors";

/** The project's home; its releases are where the engine downloads the plugin from. */
export const REPOSITORY_URL = "https://github.com/gitlab-mirrors/gitlab-mirrors";
/**
 * The plugin download server every SDK names. The engine fills in `${VERSION}` (the SDK's own version)
 * and appends `pulumi-resource-gitlab-mirrors-v<version>-<os>-<arch>.tar.gz`; a user's mirror of the
 * releases is reached through PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES.
 */
export const PLUGIN_DOWNLOAD_URL = `${REPOSITORY_URL}/releases/download/v\${VERSION}`;

type PropertySpec = Record<string, unknown>;

/** The provider's own settings: `gitlab-mirrors:baseUrl`, `:token` and `:earlyAuthCheck` in a stack's config. */
export const CONFIG_PROPERTIES: Readonly<Record<"baseUrl" | "token" | "earlyAuthCheck", PropertySpec>> = Object.freeze({
  baseUrl: {
    type: "string",
    description:
      "The GitLab instance (`https://gitlab.example.com`) or its API (`https://gitlab.example.com/api/v4`). Falls back to the `GITLAB_BASE_URL` environment variable.",
  },
  token: {
    type: "string",
    secret: true,
    description:
      "A GitLab access token with the `api` scope and the Maintainer role on the projects. Falls back to the `GITLAB_TOKEN` environment variable.",
  },
  earlyAuthCheck: {
    type: "boolean",
    description:
      "Whether the provider checks the token when it starts (one `GET /user` per provider, also at preview), so that a wrong, expired or revoked token fails before any mirror is touched. Default `true`; `false`, or the `GITLAB_MIRRORS_EARLY_AUTH_CHECK=false` environment variable, skips it.",
  },
});

/** A zod type as a Pulumi schema type (Pulumi's schema has no inline enums or refinements). */
function typeOf(schema: z.ZodType, integer = false): PropertySpec {
  const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as Record<string, unknown>;
  return typeFromJson(json, integer);
}

function typeFromJson(json: Record<string, unknown>, integer: boolean): PropertySpec {
  const variants =
    (json.anyOf ?? json.oneOf) as Record<string, unknown>[] | undefined ?? (Array.isArray(json.type) ? json.type.map((type) => ({ type })) : undefined);
  if (variants !== undefined) {
    const types = variants.filter((v) => v.type !== "null").map((v) => typeFromJson(v, integer));
    return types.length === 1 ? types[0] : { oneOf: types };
  }
  switch (json.type) {
    case "array":
      return { type: "array", items: typeFromJson(json.items as Record<string, unknown>, integer) };
    case "integer":
      return { type: "integer" };
    case "number":
      return { type: integer ? "integer" : "number" };
    case "boolean":
    case "string":
      return { type: json.type };
    default:
      throw new ProviderError(`no Pulumi schema type for ${JSON.stringify(json)}`);
  }
}

/** " Default: …." for the docs, or nothing for a field without a default. */
export function defaultSentence(meta: { default?: unknown; defaultText?: string }): string {
  if (meta.defaultText !== undefined) return ` Default: ${meta.defaultText}.`;
  if (meta.default === undefined || (Array.isArray(meta.default) && meta.default.length === 0)) return "";
  return ` Default: \`${JSON.stringify(meta.default)}\`.`;
}

function describeInput(name: InputField): string {
  const meta = fieldMeta(name);
  return meta.description + defaultSentence(meta);
}

function inputProperty(name: InputField): PropertySpec {
  const meta = fieldMeta(name);
  const spec: PropertySpec = { ...typeOf(mirrorInputsSchema.shape[name], meta.integer === true), description: describeInput(name) };
  if (meta.secret) spec.secret = true;
  if (meta.change === "replace") spec.willReplaceOnChanges = true;
  return spec;
}

/** The mirror as GitLab reports it; the other inputs are the engine's record of the inputs, not repeated. */
function outputProperties(): Record<string, PropertySpec> {
  const result: Record<string, PropertySpec> = {};
  for (const name of REPORTED_INPUT_FIELDS) result[name] = inputProperty(name);
  for (const name of OUTPUT_ONLY_FIELDS) {
    const meta = outputMeta(name);
    result[name] = { ...typeOf(mirrorOutputOnlySchema.shape[name]), description: meta.description };
    if (meta.secret) result[name].secret = true;
  }
  return result;
}

/** A set's entry: RemoteMirror's per-mirror inputs, from the same table. */
function entryProperties(): Record<string, PropertySpec> {
  return Object.fromEntries(ENTRY_FIELDS.map((name) => [name, inputProperty(name)]));
}

/** What a set records of each declared mirror: RemoteMirror's outputs but the project's id, keyed by target. */
function entryStateProperties(): Record<string, PropertySpec> {
  const mirrorOutputs = outputProperties();
  delete mirrorOutputs.projectId;
  return {
    target: { type: "string", description: "The entry's URL without credentials: its identity within the set." },
    ...mirrorOutputs,
    pending: {
      type: "string",
      description:
        "Work a failed step left undone on this mirror, which the next update does: `replace` (new credentials) or `sync` (a requested sync).",
    },
  };
}

const ENTRY_STATE_ALWAYS = ["target", "mirrorId", "enabled", "authMethod", "onlyProtectedBranches", "keepDivergentRefs", "updateStatus"];

const UNMANAGED_MIRROR_PROPERTIES: Record<string, PropertySpec> = {
  id: { type: "integer", description: "GitLab's id of the mirror within the project." },
  url: { type: "string", description: "The URL as GitLab shows it, credentials masked." },
  enabled: { type: "boolean", description: "Whether GitLab pushes to the mirror." },
};

/** Outputs every mirror has: what GitLab always reports. */
const ALWAYS_PRESENT = [
  ...REPORTED_INPUT_FIELDS.filter((name) => name !== "mirrorBranchRegex"),
  "mirrorId",
  "projectId",
  "updateStatus",
  "hostKeyFingerprints",
];

/** An object type's properties and required ones from its zod declaration: each field's type and its description. */
function objectType(schema: z.ZodObject): { properties: Record<string, PropertySpec>; required: string[] } {
  const properties: Record<string, PropertySpec> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    properties[name] = { ...typeOf(field), description: (field.meta() as { description: string }).description };
    if (!field.safeParse(undefined).success) required.push(name);
  }
  return { properties, required };
}

/** `getRemoteMirrors`' mirrors, from the declaration that also gives their TypeScript type (provider/mirror/discover.ts). */
const MIRROR_INFO = objectType(mirrorInfoSchema);

/** The whole package schema, as `pulumi package get-schema` prints it. */
export function packageSchema(version: string): Record<string, unknown> {
  const inputProperties = Object.fromEntries(INPUT_FIELDS.map((name) => [name, inputProperty(name)]));
  return {
    name: PACKAGE_NAME,
    displayName: "GitLab push mirrors",
    version,
    description: "GitLab push mirrors (remote mirrors) as Pulumi resources, with credential rotation, drift detection and opt-in sync.",
    keywords: ["pulumi", "gitlab", "mirror", "category/utility", "kind/native"],
    license: "Apache-2.0",
    publisher: "gitlab-mirrors",
    repository: REPOSITORY_URL,
    homepage: REPOSITORY_URL,
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    config: { variables: CONFIG_PROPERTIES },
    provider: {
      description: "The connection to one GitLab instance. Declare one per instance to manage mirrors on several.",
      inputProperties: CONFIG_PROPERTIES,
      properties: { baseUrl: CONFIG_PROPERTIES.baseUrl },
    },
    resources: {
      [REMOTE_MIRROR_TOKEN]: {
        description:
          "One push mirror (\"remote mirror\") of one GitLab project. The resource id is `<projectId>:<mirrorId>`; import an existing mirror with `pulumi import gitlab-mirrors:index:RemoteMirror <name> <projectId>:<mirrorId>`.",
        inputProperties,
        requiredInputs: INPUT_FIELDS.filter((name) => fieldMeta(name).required === true),
        properties: outputProperties(),
        required: ALWAYS_PRESENT,
      },
      [PROJECT_MIRRORS_TOKEN]: {
        description:
          "A project's push mirrors as one resource: one list of the project's mirrors per read, and a fleet's cost per project instead of per mirror. Entries are matched by their URL without credentials, so their order does not matter. A declared URL that GitLab already holds is taken over, so an interrupted run is completed by the next one. The resource id is the project's numeric id; `pulumi import gitlab-mirrors:index:ProjectMirrors <name> <projectId>` makes every mirror of the project an entry.",
        inputProperties: {
          project: {
            ...inputProperty("project"),
            description:
              "The project whose push mirrors these are: its numeric id or its full path (`group/sub/app`). Changing it replaces the set (a path changed to the numeric id it resolves to is no change).",
          },
          mirrors: { type: "array", items: { $ref: `#/types/${MIRROR_ENTRY_TOKEN}` }, description: "The project's declared push mirrors (at most 10 enabled)." },
          exclusive: { type: "boolean", description: EXCLUSIVE_DESCRIPTION },
        },
        requiredInputs: ["project", "mirrors"],
        properties: {
          projectId: { type: "integer", description: "The project's numeric id." },
          mirrors: {
            type: "array",
            items: { $ref: `#/types/${MIRROR_ENTRY_STATE_TOKEN}` },
            description: "Each declared mirror as GitLab reports it, in the order of the entries.",
          },
          unmanagedMirrors: {
            type: "array",
            items: { $ref: `#/types/${UNMANAGED_MIRROR_TOKEN}` },
            description: "The project's mirrors that no entry declares, as last read (deleted by the next update when `exclusive` is true).",
          },
        },
        required: ["projectId", "mirrors", "unmanagedMirrors"],
      },
    },
    functions: {
      [GET_REMOTE_MIRRORS_TOKEN]: {
        description: "Every push mirror of a project, all pages, credentials masked: for discovery and for finding ids to import.",
        inputs: {
          properties: { project: { ...typeOf(mirrorInputsSchema.shape.project, true), description: "The project: numeric id or full path." } },
          required: ["project"],
        },
        outputs: {
          properties: {
            projectId: { type: "integer", description: "The project's numeric id." },
            mirrors: { type: "array", items: { $ref: `#/types/${MIRROR_INFO_TOKEN}` }, description: "The project's push mirrors, oldest first." },
          },
          required: ["projectId", "mirrors"],
        },
      },
    },
    types: {
      [MIRROR_ENTRY_TOKEN]: {
        type: "object",
        description: "One push mirror of a ProjectMirrors set: the per-mirror inputs of RemoteMirror.",
        properties: entryProperties(),
        required: ["url"],
      },
      [MIRROR_ENTRY_STATE_TOKEN]: {
        type: "object",
        description: "A declared mirror of a ProjectMirrors set, as GitLab reports it.",
        properties: entryStateProperties(),
        required: ENTRY_STATE_ALWAYS,
      },
      [UNMANAGED_MIRROR_TOKEN]: {
        type: "object",
        description: "A mirror of the project that no entry of the set declares.",
        properties: UNMANAGED_MIRROR_PROPERTIES,
        required: ["id", "enabled"],
      },
      [MIRROR_INFO_TOKEN]: {
        type: "object",
        description: "A push mirror as GitLab reports it.",
        properties: MIRROR_INFO.properties,
        required: MIRROR_INFO.required,
      },
    },
    language: {
      python: { packageName: PYTHON_PACKAGE_NAME, respectSchemaVersion: true, pyproject: { enabled: true } },
      go: { importBasePath: GO_IMPORT_BASE_PATH, generateResourceContainerTypes: true, respectSchemaVersion: true },
      nodejs: { packageName: "gitlab-mirrors-sdk", respectSchemaVersion: true },
      csharp: { rootNamespace: "GitLabMirrors", respectSchemaVersion: true },
    },
  };
}
