import { z } from "zod";
import {
  AuthMethod,
  fieldMeta,
  INPUT_FIELDS,
  InputField,
  MirrorInputs,
  mirrorInputsSchema,
  SECRET_PROPERTIES,
  syncTriggerText,
} from "./fields";
import { numericProjectId } from "./project";
import { isUnknown, Unknown, UNKNOWN } from "./unknown";
import { parseMirrorUrl } from "./url";
import { InvalidInputError } from "../errors";
import { redactSecrets } from "../redact";

/** Validation (check) and normalisation (defaults applied) of the RemoteMirror inputs. */

/** Inputs with every default applied: what the diff compares and the outputs carry. */
export type NormalisedInputs = {
  [K in Exclude<InputField, OptionalWithoutDefault>]-?: Exclude<MirrorInputs[K], undefined>;
} & { [K in OptionalWithoutDefault]: Exclude<MirrorInputs[K], undefined> | null };

/** The inputs that have no default: unset is null once normalised. */
type OptionalWithoutDefault = "mirrorBranchRegex" | "syncTrigger";

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * The inputs as a program gave them, decoded by an adapter: any value (Check finds out which are valid),
 * and a value not known yet during a preview (or one entry of a list) as the core's UNKNOWN, never the
 * engine's own marker. Keys that are not inputs are ignored.
 */
export type GivenInputs = Readonly<Record<string, unknown>>;

/**
 * Every problem of the resource's own inputs, at once, without any network I/O. Values that are UNKNOWN
 * are not validated; a list with an UNKNOWN entry is validated without it (its length still counts).
 */
export function checkInputs(given: GivenInputs): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const known: Record<string, unknown> = {};
  const unknownMask: Partial<Record<InputField, true>> = {};
  const unknownEntries = new Map<InputField, Set<number>>();
  for (const field of INPUT_FIELDS) {
    const value = given[field];
    if (isUnknown(value)) unknownMask[field] = true;
    else if (Array.isArray(value) && value.some(isUnknown)) {
      // Every list input is a list of strings: an unknown entry stands in as an empty string, and nothing
      // said about it is reported.
      unknownEntries.set(field, new Set(value.flatMap((entry, index) => (isUnknown(entry) ? [index] : []))));
      known[field] = value.map((entry) => (isUnknown(entry) ? "" : entry));
    } else if (value !== undefined && value !== null) known[field] = value;
  }
  // Building a partial schema costs more than validating: only preview's unknown values need one.
  const schema = Object.keys(unknownMask).length === 0 ? mirrorInputsSchema : mirrorInputsSchema.partial(unknownMask);
  const result = schema.safeParse(known);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [property, index] = issue.path;
      if (typeof index === "number" && unknownEntries.get(property as InputField)?.has(index)) continue;
      failures.push(failureOf(issue, known));
    }
  }
  failures.push(...crossFieldFailures(known, result.success ? (result.data as Record<string, unknown>) : undefined));
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
// `parsedWhole` is the whole object, parsed, when it passed its schema, which spares parsing each field again.
function crossFieldFailures(known: Record<string, unknown>, parsedWhole?: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const shape = mirrorInputsSchema.shape;
  const valid = <K extends InputField>(field: K): MirrorInputs[K] | undefined => {
    if (parsedWhole !== undefined) return parsedWhole[field] as MirrorInputs[K] | undefined;
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

/**
 * The engine prints a failing property's value next to the reason, even a secret one. A failure of a
 * secret input (the table's, or any input the program marked secret) or of a key that is not an input at
 * all (such as a configuration setting) is therefore reported without a property, its name moved into the
 * reason. A reason may quote a value (a regex's syntax error quotes the regex): every string of a secret
 * input is masked in every reason.
 */
export function hideSecretProperties(
  failures: readonly CheckFailure[],
  secretInputs: Iterable<string> = [],
  values: Record<string, unknown> = {},
): CheckFailure[] {
  const secret = new Set([...SECRET_PROPERTIES, ...secretInputs]);
  const secretTexts = [...secret].flatMap((name) => stringsIn(values[name]));
  return failures.map((failure) => {
    let reason = redactSecrets(failure.reason, secretTexts);
    // The table's secrets (url) have reasons written never to quote them; any other input's reason may
    // quote a part of its value (a regex's error quotes the piece it stopped at): drop what it quotes.
    if (secret.has(failure.property) && !SECRET_PROPERTIES.includes(failure.property)) reason = reason.replace(/`[^`]*`|"[^"]*"/g, "(hidden)");
    return (INPUT_FIELDS as readonly string[]).includes(failure.property) && !secret.has(failure.property)
      ? { property: failure.property, reason }
      : { property: "", reason: `${failure.property} ${reason}` };
  });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return value === "" ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Applies the defaults to one field; `siblings` are the other inputs (a default may depend on them).
 * Unknown (preview) values are passed through unchanged so the diff can treat them as "may change".
 * Idempotent: normalising a normalised value changes nothing.
 */
export function fieldWithDefault(field: InputField, value: unknown, siblings: GivenInputs = {}): unknown {
  if (isUnknown(value)) return UNKNOWN;
  const absent = value === undefined || value === null;
  switch (field) {
    case "project":
      return typeof value === "string" && /^[0-9]+$/.test(value) ? (numericProjectId(value) ?? value) : value;
    case "url":
      return value;
    case "mirrorBranchRegex":
      return absent || value === "" ? null : value;
    case "syncTrigger":
      return absent || value === "" ? null : syncTriggerText(value);
    case "hostKeys":
      // Check refuses anything but a list of strings; a recorded state may still hold something else
      // (edited by hand, or damaged). It is read as no keys: GitLab's fingerprints then show the drift.
      if (absent || !Array.isArray(value)) return [];
      return value.flatMap((k): Array<string | Unknown> => (isUnknown(k) ? [k] : typeof k === "string" ? [k.trim()] : []));
    case "onlyProtectedBranches": {
      if (!absent) return value;
      // Protected branches only, unless a regex chooses the branches (GitLab refuses both together).
      const regex = fieldWithDefault("mirrorBranchRegex", siblings.mirrorBranchRegex);
      return isUnknown(regex) ? UNKNOWN : regex === null;
    }
    default:
      return absent ? fieldMeta(field).default : value;
  }
}

/**
 * The typed inputs of a create or update from the engine's plain values: validated, then normalised. Check
 * already validated them in the engine; this keeps a direct caller's bad values from becoming requests.
 */
export function decodeMirrorInputs(raw: Record<string, unknown>): NormalisedInputs {
  const [first] = checkInputs(raw);
  if (first !== undefined) throw new InvalidInputError(first.property, first.reason);
  return withDefaults(raw);
}

/** Normalises every input field of a validated, fully known input object. */
export function withDefaults(inputs: Record<string, unknown>): NormalisedInputs {
  return decodePlannedInputs(inputs) as NormalisedInputs;
}

/** The inputs as the engine plans them: during a preview any of them, or one host key, may be UNKNOWN. */
export type PlannedInputs = { [K in Exclude<InputField, "hostKeys">]: NormalisedInputs[K] | Unknown } & {
  hostKeys: Array<NormalisedInputs["hostKeys"][number] | Unknown> | Unknown;
};

/** What a diff compares planned inputs with: the recorded inputs, and the project id they resolved to. */
export type RecordedInputs = PlannedInputs & { projectId?: number };

/** The planned inputs of a diff from the given (decoded) values, checked or not: normalised, UNKNOWN kept. */
export function decodePlannedInputs(raw: GivenInputs): PlannedInputs {
  const result: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) result[field] = fieldWithDefault(field, raw[field], raw);
  return result as PlannedInputs;
}

/**
 * The recorded side of a diff from the engine's plain values: the recorded outputs, overlaid by the
 * recorded inputs where the engine has them (they hold the URL as the program last gave it, also after an
 * import), normalised; `projectId` kept when it is a number.
 */
export function decodeRecordedInputs(raw: Record<string, unknown>): RecordedInputs {
  const inputs: RecordedInputs = decodePlannedInputs(raw);
  if (typeof raw.projectId === "number") inputs.projectId = raw.projectId;
  return inputs;
}

/**
 * The inputs as the engine should record them, the same shape whether a program gave them or a read
 * found them (the engine shows a diff of the two): the defaults of GitLab's attributes written out, so
 * that a change found by refresh shows as `false => true` rather than as a removed value; the settings
 * that only steer this provider left out while they hold their default (GitLab never changes them, and
 * each recorded value is one more the engine rewrites for every mirror at every checkpoint); unset
 * optional fields left out; unknown values kept.
 */
export function inputsToRecord(raw: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of INPUT_FIELDS) {
    const value = fieldWithDefault(field, raw[field], raw);
    if (value === null || value === undefined || isSteeringDefault(field, value)) continue;
    result[field] = value;
  }
  return result;
}

function isSteeringDefault(field: InputField, value: unknown): boolean {
  const meta = fieldMeta(field);
  return meta.gitlab === undefined && meta.default !== undefined && value === meta.default;
}

export type { AuthMethod, InputField, MirrorInputs };
