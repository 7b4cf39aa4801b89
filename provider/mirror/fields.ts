import { z } from "zod";
import { branchRegexProblem } from "./branch-regex";
import { parseHostKey } from "./host-keys";
import { projectIdProblem } from "./project";
import { describeUrlProblem, parseMirrorUrl } from "./url";

/**
 * The RemoteMirror fields, each declared once. Every input is a zod schema whose metadata
 * (`FieldMeta`) says what the rest of the provider derives from it: the defaults, what a change does
 * (update in place or replace), the GitLab attribute it maps to, whether it is a secret, and the
 * description that the SDKs, the plugin schema and the README's reference all show.
 */

export const AUTH_METHODS = ["password", "ssh_public_key"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
export const MAX_HOST_KEYS = 10;
export const MAX_SYNC_TIMEOUT_SECONDS = 3600;

/** GitLab's names of the attributes a mirror's inputs map to (request and response). */
export type GitLabAttribute =
  | "url"
  | "enabled"
  | "auth_method"
  | "only_protected_branches"
  | "keep_divergent_refs"
  | "mirror_branch_regex"
  | "host_keys";

export interface FieldMeta {
  /** Markdown; shown in the SDKs, the plugin schema and the README. */
  description: string;
  /** The value used when the input is not given (absent: none, the field is simply unset). */
  default?: boolean | number | string | readonly string[];
  /** When the default is not one fixed value, what it is, in words (README and schema docs). */
  defaultText?: string;
  /** What a change of the input does to the mirror. */
  change: "update" | "replace";
  /** GitLab's attribute; absent for settings that only steer this provider. */
  gitlab?: GitLabAttribute;
  /** GitLab reports the attribute back as it was sent, so its value is also an output (the mirror as GitLab has it). */
  reported?: true;
  secret?: true;
  required?: true;
  /** Its numbers are whole numbers (ids): typed as integers in the schema and the SDKs. */
  integer?: true;
}

/** Metadata of an output that is not an input. */
export interface OutputMeta {
  description: string;
  secret?: true;
}

const BOOLEAN = { error: "must be true or false" };

/** Where a field's declared metadata is kept in its type (never at run time), so that types can be derived from it. */
declare const DECLARED: unique symbol;
type Declared<M> = { readonly [DECLARED]?: M };

function field<T extends z.ZodType, const M extends FieldMeta>(schema: T, meta: M): T & Declared<M> {
  return schema.meta({ ...(meta as FieldMeta & Record<string, unknown>) }) as T & Declared<M>;
}

const projectSchema = z
  .union([z.number(), z.string()], { error: 'must be a numeric project id or a full path such as "group/app"' })
  .superRefine((value, ctx) => {
    const problem = projectProblem(value);
    if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
  });

const urlSchema = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
  const parsed = parseMirrorUrl(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: describeUrlProblem(parsed.problem) });
});

const branchRegexSchema = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
  const problem = branchRegexProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

const hostKeysSchema = z
  .array(z.string({ error: "must be a string" }), { error: "must be a list of strings" })
  .superRefine((keys, ctx) => {
    if (keys.length > MAX_HOST_KEYS) {
      ctx.addIssue({ code: "custom", message: `has ${keys.length} entries; GitLab accepts at most ${MAX_HOST_KEYS}` });
    }
    keys.forEach((line, index) => {
      const parsed = parseHostKey(line);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: [index], message: parsed.reason });
    });
  });

const syncTimeoutSchema = z.number({ error: "must be a number of seconds" }).superRefine((value, ctx) => {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_SYNC_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: "custom", message: `must be more than 0 and at most ${MAX_SYNC_TIMEOUT_SECONDS} seconds` });
  }
});

/**
 * A number given as `syncTrigger` is taken as its text: Pulumi YAML reads `20261207` (even from a
 * config value declared `type: string`) as a number, and any change of it still requests a sync.
 */
export function syncTriggerText(value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value) ? String(value) : value;
}

/** The inputs: the single source of truth for their types, rules and documentation. */
export const mirrorInputsSchema = z.object({
  project: field(projectSchema, {
    description:
      "The project to mirror: its numeric id or its full path (`group/sub/app`). Changing it replaces the mirror, except that a path changed to the numeric id it resolves to is no change; a numeric id changed to a path deletes first (the diff never calls GitLab, so it may be the same project).",
    change: "replace",
    required: true,
    integer: true,
  }),
  url: field(urlSchema, {
    description:
      "The target, credentials included: `https://user:token@host/group/repo.git` or `ssh://git@host/group/repo.git` (schemes http, https, ssh, git). A secret. GitLab cannot change a mirror's URL, so a change of scheme, host, port, path or credentials replaces the mirror; when only the credentials change, the old mirror is deleted before the new one is created (GitLab rejects a duplicate URL).",
    change: "replace",
    gitlab: "url",
    secret: true,
    required: true,
  }),
  enabled: field(z.boolean(BOOLEAN).optional(), {
    description: "Whether GitLab pushes to the mirror. GitLab's own default is false; a declared mirror is meant to run.",
    default: true,
    change: "update",
    gitlab: "enabled",
    reported: true,
  }),
  authMethod: field(z.enum(AUTH_METHODS, { error: 'must be "password" or "ssh_public_key"' }).optional(), {
    description:
      'How GitLab authenticates to the target: `password` (credentials in the URL) or `ssh_public_key` (GitLab generates a key pair; authorise `publicKey` on the target). `ssh_public_key` needs an `ssh://` URL.',
    default: "password",
    change: "update",
    gitlab: "auth_method",
    reported: true,
  }),
  onlyProtectedBranches: field(z.boolean(BOOLEAN).optional(), {
    description:
      "Mirror only protected branches. Cannot be true together with `mirrorBranchRegex`. When a project has no protected branch, GitLab mirrors every branch.",
    defaultText: "`true` unless `mirrorBranchRegex` is set",
    change: "update",
    gitlab: "only_protected_branches",
    reported: true,
  }),
  keepDivergentRefs: field(z.boolean(BOOLEAN).optional(), {
    description:
      "Leave refs that diverged on the target alone and report them, instead of force-pushing over them. `false` force-pushes every mirrored branch and deletes branches on the target that were merged and deleted in GitLab.",
    default: true,
    change: "update",
    gitlab: "keep_divergent_refs",
    reported: true,
  }),
  mirrorBranchRegex: field(branchRegexSchema.optional(), {
    description:
      "Mirror only the branches this RE2 regular expression matches, anywhere in the name (at most 255 characters; GitLab Premium and Ultimate). Tags are always mirrored.",
    change: "update",
    gitlab: "mirror_branch_regex",
    reported: true,
  }),
  hostKeys: field(hostKeysSchema.optional(), {
    description:
      "SSH host keys of the target for `ssh://` URLs: at most 10 `known_hosts` lines or bare keys (`ssh-ed25519 AAAA...`). GitLab reports only their SHA256 fingerprints; a refresh compares those.",
    default: [],
    change: "update",
    gitlab: "host_keys",
  }),
  syncOnApply: field(z.boolean(BOOLEAN).optional(), {
    description: "Ask GitLab to push right after the mirror is created and after each update that changed it (skipped while it is disabled).",
    default: false,
    change: "update",
  }),
  waitForSync: field(z.boolean(BOOLEAN).optional(), {
    description:
      "When a sync is requested (by `syncOnApply` or a `syncTrigger` change), wait until GitLab reports `finished` or `failed`; `failed` fails the step with GitLab's error. It starts no sync by itself.",
    default: false,
    change: "update",
  }),
  syncTimeoutSeconds: field(syncTimeoutSchema.optional(), {
    description: `How long \`waitForSync\` waits, in seconds (at most ${MAX_SYNC_TIMEOUT_SECONDS}). GitLab may defer repeated syncs by 1 to 5 minutes.`,
    default: 300,
    change: "update",
  }),
  syncTrigger: field(z.preprocess(syncTriggerText, z.string({ error: "must be a string" })).optional(), {
    description: "Any change of this value requests a sync, and changes nothing else.",
    change: "update",
  }),
  adopt: field(z.boolean(BOOLEAN).optional(), {
    description:
      "On create, take over an existing mirror of the project with the same credential-free URL instead of creating one. GitLab never reveals a mirror's credentials: the ones in `url` are assumed to be the ones it uses.",
    default: false,
    change: "update",
  }),
});

export type MirrorInputs = z.infer<typeof mirrorInputsSchema>;
export type InputField = keyof MirrorInputs;
export const INPUT_FIELDS = Object.keys(mirrorInputsSchema.shape) as InputField[];

/** Read from the schema once: zod looks metadata up in its registry on every `.meta()`. */
const FIELD_METAS = new Map(INPUT_FIELDS.map((name) => [name, mirrorInputsSchema.shape[name].meta() as unknown as FieldMeta]));

export function fieldMeta(name: InputField): FieldMeta {
  return FIELD_METAS.get(name)!;
}

/**
 * Every input GitLab holds, paired with the name of its attribute in GitLab's API (`onlyProtectedBranches`
 * → `only_protected_branches`): the request bodies are built from it. Inputs that steer only this
 * provider (`project`, `syncOnApply`, ...) have none.
 */
export const GITLAB_ATTRIBUTES: ReadonlyArray<readonly [InputField, GitLabAttribute]> = Object.freeze(
  INPUT_FIELDS.flatMap((name) => {
    const gitlab = fieldMeta(name).gitlab;
    return gitlab === undefined ? [] : [[name, gitlab] as const];
  }),
);

type InputShape = typeof mirrorInputsSchema.shape;

/** The inputs the table marks `reported`, as a type: what is derived from them must name each one. */
export type ReportedInputField = {
  [K in keyof InputShape]: InputShape[K] extends Declared<infer M> ? (M extends { reported: true } ? K : never) : never;
}[keyof InputShape];

/**
 * The inputs GitLab reports back as they are. The others it reports transformed (`url` masked, `hostKeys`
 * as fingerprints) or not at all (`project` is a path or an id, and the settings that steer this provider).
 */
export const REPORTED_INPUT_FIELDS: readonly InputField[] = Object.freeze(INPUT_FIELDS.filter((name) => fieldMeta(name).reported === true));

function output<T extends z.ZodType>(schema: T, meta: OutputMeta): T {
  return schema.meta({ ...meta }) as T;
}

const timestamp = z.string().nullable();

/** The outputs that are not inputs, in the order the SDKs and the README list them. */
export const mirrorOutputOnlySchema = z.object({
  mirrorId: output(z.number().int(), { description: "GitLab's id of the mirror within the project." }),
  projectId: output(z.number().int(), { description: "The project's numeric id, also when `project` is a path." }),
  maskedUrl: output(z.string().nullable(), {
    description: "The URL as GitLab shows it, credentials masked (`https://*****:*****@host/...`).",
  }),
  updateStatus: output(z.string(), {
    description: "GitLab's `update_status`: `none`, `started`, `finished`, `failed` or `to_retry`.",
  }),
  lastError: output(z.string().nullable(), { description: "GitLab's last push error, credentials and the token masked." }),
  lastUpdateAt: output(timestamp, { description: "When the last push ended." }),
  lastUpdateStartedAt: output(timestamp, { description: "When the last push started." }),
  lastSuccessfulUpdateAt: output(timestamp, { description: "When the last successful push ended." }),
  publicKey: output(z.string().optional(), {
    description:
      "The SSH public key GitLab pushes with (`ssh://` URLs with `authMethod: ssh_public_key`): authorise it on the target.",
    secret: true,
  }),
  hostKeyFingerprints: output(z.array(z.string()), { description: "SHA256 fingerprints of the host keys GitLab holds for the mirror." }),
});

export type MirrorOutputOnly = z.infer<typeof mirrorOutputOnlySchema>;
export type OutputOnlyField = keyof MirrorOutputOnly;
export const OUTPUT_ONLY_FIELDS = Object.keys(mirrorOutputOnlySchema.shape) as OutputOnlyField[];

export function outputMeta(name: OutputOnlyField): OutputMeta {
  return mirrorOutputOnlySchema.shape[name].meta() as unknown as OutputMeta;
}

/** The properties kept secret in the state and in every message shown to people. */
export const SECRET_PROPERTIES: readonly string[] = Object.freeze([
  ...INPUT_FIELDS.filter((name) => fieldMeta(name).secret === true),
  ...OUTPUT_ONLY_FIELDS.filter((name) => outputMeta(name).secret === true),
]);

function projectProblem(value: number | string): string | null {
  if (typeof value === "number") return projectIdProblem(value);
  if (/^[0-9]+$/.test(value)) return Number(value) > 0 ? projectIdProblem(value) : "must be a positive project id";
  if (!/^[^/\s]+(\/[^/\s]+)+$/.test(value)) {
    return 'must be a numeric id or the project\'s full path such as "group/app" (no leading, trailing or double slashes, no spaces)';
  }
  return projectPathProblem(value);
}

/**
 * GitLab's rules for the segments of a full path (see docs/gitlab-behaviour.md): ASCII letters, digits,
 * "_", "-" and "."; not starting with "-"; not ending in ".git" or ".atom"; a group's segment not ending
 * in "."; and never "." or "..", which name no project (a path such as "a/../b" only looks like another).
 */
function projectPathProblem(path: string): string | null {
  const segments = path.split("/");
  for (const [index, segment] of segments.entries()) {
    const which = index === segments.length - 1 ? "the project's path" : "a group's path";
    // Named by position, never quoted: a program may mark the project secret.
    const shown = `segment ${index + 1}`;
    let reason: string | null = null;
    if (/^\.+$/.test(segment)) reason = `${shown} is no name: "." and ".." are not path segments in GitLab`;
    else if (/[^A-Za-z0-9_.-]/.test(segment)) reason = `${shown} holds a character GitLab does not allow in ${which}; it allows ASCII letters, digits, "_", "-" and "."`;
    else if (segment.startsWith("-")) reason = `${shown} starts with "-", which GitLab does not allow in ${which}`;
    else if (/\.(git|atom)$/i.test(segment)) reason = `${shown} ends in ".git" or ".atom", which GitLab does not allow in ${which}`;
    else if (index < segments.length - 1 && segment.endsWith(".")) reason = `${shown} ends in ".", which GitLab does not allow in a group's path`;
    if (reason !== null) return `is not a GitLab project path: ${reason}`;
  }
  return null;
}
