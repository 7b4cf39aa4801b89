import { z } from "zod";
import { missingSettingReason } from "../errors";
import { branchRegexProblem } from "./branch-regex";
import { parseHostKey } from "./host-keys";
import { numericProjectId, projectIdProblem } from "./project";
import { isUnknown, UNKNOWN } from "./unknown";
import { describeUrlProblem, parseMirrorUrl } from "./url";

/** The RemoteMirror inputs: validation (check) and normalisation (defaults applied) of them. */

export const AUTH_METHODS = ["password", "ssh_public_key"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
export const MAX_HOST_KEYS = 10;
export const MAX_SYNC_TIMEOUT_SECONDS = 3600;

export const INPUT_DEFAULTS = Object.freeze({
  enabled: true, // a declared mirror is meant to run; the API's own default is false
  authMethod: "password" as AuthMethod,
  onlyProtectedBranches: false,
  keepDivergentRefs: false,
  syncOnApply: false,
  waitForSync: false,
  syncTimeoutSeconds: 300,
  adopt: false,
});

const BOOLEAN = { error: "must be true or false" };

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
      if (isUnknown(line)) return;
      const parsed = parseHostKey(line);
      if (!parsed.ok) ctx.addIssue({ code: "custom", path: [index], message: parsed.reason });
    });
  });

const syncTimeoutSchema = z.number({ error: "must be a number of seconds" }).superRefine((value, ctx) => {
  if (!Number.isFinite(value) || value <= 0 || value > MAX_SYNC_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: "custom", message: `must be more than 0 and at most ${MAX_SYNC_TIMEOUT_SECONDS} seconds` });
  }
});

/** One zod schema per input: the single source of truth for the input types. */
export const mirrorInputsSchema = z.object({
  project: projectSchema,
  url: urlSchema,
  enabled: z.boolean(BOOLEAN).optional(),
  authMethod: z.enum(AUTH_METHODS, { error: 'must be "password" or "ssh_public_key"' }).optional(),
  onlyProtectedBranches: z.boolean(BOOLEAN).optional(),
  keepDivergentRefs: z.boolean(BOOLEAN).optional(),
  mirrorBranchRegex: branchRegexSchema.optional(),
  hostKeys: hostKeysSchema.optional(),
  syncOnApply: z.boolean(BOOLEAN).optional(),
  waitForSync: z.boolean(BOOLEAN).optional(),
  syncTimeoutSeconds: syncTimeoutSchema.optional(),
  syncTrigger: z.string({ error: "must be a string" }).optional(),
  adopt: z.boolean(BOOLEAN).optional(),
});

export type MirrorInputs = z.infer<typeof mirrorInputsSchema>;
export type InputField = keyof MirrorInputs;
export const INPUT_FIELDS = Object.keys(mirrorInputsSchema.shape) as InputField[];

/** Inputs with every default applied: what the diff compares and the outputs carry. */
export interface NormalisedInputs {
  project: number | string;
  url: string;
  enabled: boolean;
  authMethod: AuthMethod;
  onlyProtectedBranches: boolean;
  keepDivergentRefs: boolean;
  mirrorBranchRegex: string | null;
  hostKeys: string[];
  syncOnApply: boolean;
  waitForSync: boolean;
  syncTimeoutSeconds: number;
  syncTrigger: string | null;
  adopt: boolean;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface ConnectionCandidate {
  baseUrl?: string;
  token?: string;
}

/**
 * Validates raw inputs without any network I/O and reports every problem at once. Fields holding the
 * preview's unknown sentinel are not validated. `connection` is what the provider was configured with;
 * missing settings fail here so that preview fails before anything is created.
 */
export function checkMirrorInputs(
  raw: Record<string, unknown>,
  connection: ConnectionCandidate,
  validateBaseUrl: (baseUrl: string) => string | null = () => null,
): CheckFailure[] {
  return [...connectionFailures(connection, validateBaseUrl), ...inputFailures(raw)];
}

/** The input part of check: every problem of the resource's own inputs, unknown fields skipped. */
export function inputFailures(raw: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const known: Record<string, unknown> = {};
  const unknownMask: Partial<Record<InputField, true>> = {};
  for (const field of INPUT_FIELDS) {
    const value = raw[field];
    if (isUnknown(value)) unknownMask[field] = true;
    else if (value !== undefined && value !== null) known[field] = value;
  }
  const result = mirrorInputsSchema.partial(unknownMask).safeParse(known);
  if (!result.success) {
    for (const issue of result.error.issues) failures.push(failureOf(issue, known));
  }
  failures.push(...crossFieldFailures(known));
  return failures;
}

function failureOf(issue: z.core.$ZodIssue, known: Record<string, unknown>): CheckFailure {
  const [property, index] = issue.path;
  const missing = issue.path.length === 1 && known[String(property)] === undefined;
  const message = missing ? "is required" : issue.message;
  const reason = typeof index === "number" ? `entry ${index + 1} ${message}` : message;
  return { property: String(property ?? ""), reason };
}

// Rules that involve two fields; each runs only when both fields are known and individually valid.
function crossFieldFailures(known: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const shape = mirrorInputsSchema.shape;
  const valid = <K extends InputField>(field: K): MirrorInputs[K] | undefined => {
    const parsed = shape[field].safeParse(known[field]);
    return parsed.success ? (parsed.data as MirrorInputs[K]) : undefined;
  };
  const regex = valid("mirrorBranchRegex");
  if (valid("onlyProtectedBranches") === true && regex !== undefined && regex !== "") {
    failures.push({
      property: "mirrorBranchRegex",
      reason: "cannot be combined with onlyProtectedBranches: true (GitLab rejects both together); remove one of them",
    });
  }
  const url = valid("url");
  if (valid("authMethod") === "ssh_public_key" && url !== undefined) {
    const parsed = parseMirrorUrl(url);
    if (parsed.ok && parsed.url.scheme !== "ssh") {
      failures.push({
        property: "authMethod",
        reason: `"ssh_public_key" only works with ssh:// URLs (GitLab uses the key only for SSH pushes); use "password" for a ${parsed.url.scheme}:// URL`,
      });
    }
  }
  return failures;
}

function connectionFailures(connection: ConnectionCandidate, validateBaseUrl: (baseUrl: string) => string | null): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (connection.baseUrl === undefined || connection.baseUrl === "") {
    failures.push({ property: "gitlab:baseUrl", reason: `${missingSettingReason("gitlab:baseUrl")} or set GITLAB_BASE_URL` });
  } else {
    const problem = validateBaseUrl(connection.baseUrl);
    if (problem !== null) failures.push({ property: "gitlab:baseUrl", reason: problem });
  }
  if (connection.token === undefined || connection.token === "") {
    failures.push({ property: "gitlab:token", reason: `${missingSettingReason("gitlab:token")} or set GITLAB_TOKEN` });
  }
  return failures;
}

function projectProblem(value: number | string): string | null {
  if (typeof value === "number") return projectIdProblem(value);
  if (/^[0-9]+$/.test(value)) return Number(value) > 0 ? projectIdProblem(value) : "must be a positive project id";
  if (!/^[^/\s]+(\/[^/\s]+)+$/.test(value)) {
    return 'must be a numeric id or the project\'s full path such as "group/app" (no leading, trailing or double slashes, no spaces)';
  }
  return null;
}

/**
 * Applies the defaults to one field. Unknown (preview) values are passed through unchanged so the diff
 * can treat them as "may change". Idempotent: normalising a normalised value changes nothing.
 */
export function normaliseField(field: InputField, value: unknown): unknown {
  if (isUnknown(value)) return UNKNOWN;
  const absent = value === undefined || value === null;
  switch (field) {
    case "project":
      // Digits beyond an exact id stay a string: never two different ids that compare equal.
      return typeof value === "string" && /^[0-9]+$/.test(value) ? (numericProjectId(value) ?? value) : value;
    case "url":
      return value;
    case "mirrorBranchRegex":
    case "syncTrigger":
      return absent || value === "" ? null : value;
    case "hostKeys":
      return absent ? [] : Array.isArray(value) ? value.map((k) => (typeof k === "string" ? k.trim() : k)) : value;
    default:
      return absent ? INPUT_DEFAULTS[field] : value;
  }
}

/** Normalises every input field of a validated, fully known input object. */
export function normaliseInputs(inputs: Record<string, unknown>): NormalisedInputs {
  const result: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) result[field] = normaliseField(field, inputs[field]);
  return result as unknown as NormalisedInputs;
}
