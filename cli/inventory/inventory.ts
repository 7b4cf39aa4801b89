/**
 * The mirror inventory: one YAML (or JSON) file of groups -> projects -> mirror targets, with
 * settings that a group, a project or a target may override. Reading it is pure: parse, validate
 * (every problem at once, each with its path), resolve the defaults. Nothing here talks to GitLab.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InvalidInputError } from "../../provider/errors";
import { checkInputs } from "../../provider/mirror/inputs";
import { inlineCredentialProblem, projectIdentity, projectKeyProblem, targetIdentity } from "./identity";

/** GitLab lets a project have at most 10 enabled push mirrors. */
export const MAX_ENABLED_MIRRORS_PER_PROJECT = 10;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const settingsShape = {
  enabled: z.boolean().optional(),
  authMethod: z.enum(["password", "ssh_public_key"]).optional(),
  onlyProtectedBranches: z.boolean().optional(),
  keepDivergentRefs: z.boolean().optional(),
  mirrorBranchRegex: z.string().optional(),
  hostKeys: z.array(z.string()).optional(),
  syncOnApply: z.boolean().optional(),
  /** The name of an entry of the stack's `inventory:credentials` secret; `null` clears an inherited one. */
  credentials: z
    .string()
    .regex(NAME, "must be a credential name (letters, digits, '_', '.', '-')")
    .nullable()
    .optional(),
};

const settingsSchema = z.strictObject(settingsShape);
const targetSchema = z.strictObject({ url: z.string().min(1, "must not be empty"), ...settingsShape });
const projectSchema = z.strictObject({ defaults: settingsSchema.optional(), targets: z.array(targetSchema) });
const groupSchema = z.strictObject({
  defaults: settingsSchema.optional(),
  projects: z.record(z.string(), projectSchema),
});
const inventorySchema = z.strictObject({
  defaults: settingsSchema.optional(),
  groups: z.record(z.string(), groupSchema),
});

export type Inventory = z.infer<typeof inventorySchema>;
type Settings = z.infer<typeof settingsSchema>;

/** One push mirror the inventory declares, every default applied. */
export interface InventoryMirror {
  /** The Pulumi resource name: project and credential-free URL, so that it survives edits elsewhere in the file. */
  name: string;
  group: string;
  project: string;
  /** The target without credentials, as written in the inventory. */
  url: string;
  /** Name of the credential to put in the URL, if any. */
  credentials?: string;
  enabled?: boolean;
  authMethod?: "password" | "ssh_public_key";
  onlyProtectedBranches?: boolean;
  keepDivergentRefs?: boolean;
  mirrorBranchRegex?: string;
  hostKeys?: string[];
  syncOnApply?: boolean;
}

/** The inventory's mirrors, grouped: each group becomes one stack. */
export type MirrorsByGroup = Map<string, InventoryMirror[]>;

/** One problem of the inventory: where (`groups.platform.projects["platform/app"].targets[1].url`) and what. */
export interface InventoryProblem {
  path: string;
  message: string;
}

/**
 * Formats a path the way a reader would write it in JavaScript: identifiers with dots, other keys
 * (such as `platform/app`) in quotes and brackets, indexes in brackets.
 */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(key))) text += text === "" ? String(key) : `.${String(key)}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === "" ? "(top level)" : text;
}

/** Every problem of an inventory file, at once; thrown before anything is sent to GitLab. */
export function inventoryError(source: string, problems: readonly InventoryProblem[]): InvalidInputError {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  return new InvalidInputError(source, `${problems.length} problem(s); fix them all and run again:\n${lines.join("\n")}`);
}

/** Reads YAML (a superset of JSON, so a JSON inventory reads too). */
export function parseInventoryText(text: string, source: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    // Where and what, without the parser's excerpt of the line: it could quote a credential written by mistake.
    const { code, linePos } = err as { code?: string; linePos?: Array<{ line: number; col: number }> };
    const where = linePos?.[0] ? ` at line ${linePos[0].line}, column ${linePos[0].col}` : "";
    throw inventoryError(source, [{ path: "(file)", message: `is not valid YAML${where} (${code ?? "parse error"})` }]);
  }
}

/**
 * Validates an inventory and resolves it into mirrors per group. `credentialNames`, when given, are the
 * credentials the stack config holds: a target naming another one is a problem too.
 */
export function resolveInventory(raw: unknown, source: string, credentialNames?: ReadonlySet<string>): MirrorsByGroup {
  const parsed = inventorySchema.safeParse(raw);
  // Checked on the raw object, apart from the schema: names zod would drop (`__proto__`) are reported too,
  // beside every other problem.
  const problems: InventoryProblem[] = [...groupNameProblems(raw), ...projectKeyProblems(raw)];
  if (!parsed.success) {
    const shapeProblems = parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
    throw inventoryError(source, [...shapeProblems, ...problems]);
  }
  const byGroup: MirrorsByGroup = new Map();
  const firstPlaceOfProject = new Map<string, string>();
  const inventory = parsed.data;
  for (const [group, groupEntry] of Object.entries(inventory.groups)) {
    const mirrors: InventoryMirror[] = [];
    for (const [project, projectEntry] of Object.entries(groupEntry.projects)) {
      const projectPath = ["groups", group, "projects", project];
      // One project in two places would be two stacks managing it: GitLab takes Platform/API and platform/api as one.
      const first = firstPlaceOfProject.get(projectIdentity(project));
      if (first !== undefined) {
        problems.push({ path: formatPath(projectPath), message: `is the project ${first} already lists (GitLab paths ignore case); list a project once` });
      } else {
        firstPlaceOfProject.set(projectIdentity(project), formatPath(projectPath));
      }
      const seenTargets = new Map<string, number>();
      let enabledCount = 0;
      projectEntry.targets.forEach((target, index) => {
        const targetPath = [...projectPath, "targets", index];
        const { url, ...own } = target;
        const settings: Settings = { ...inventory.defaults, ...groupEntry.defaults, ...projectEntry.defaults, ...dropUndefined(own) };
        problems.push(...targetProblems(url, settings, targetPath, credentialNames));
        const identity = targetIdentity(url);
        const firstIndex = identity === undefined ? undefined : seenTargets.get(identity);
        if (firstIndex !== undefined) {
          problems.push({
            path: formatPath([...targetPath, "url"]),
            message: `is the target of targets[${firstIndex}] (the same URL without credentials); GitLab holds one mirror per URL in a project`,
          });
        }
        if (identity !== undefined && firstIndex === undefined) seenTargets.set(identity, index);
        if (settings.enabled !== false) enabledCount += 1;
        const { credentials, ...rest } = settings;
        // The URL as written: it holds no secret (refused above), and resource names must not change with this release.
        mirrors.push({ name: `${project}->${url}`, group, project, url, ...(credentials ? { credentials } : {}), ...dropUndefined(rest) });
      });
      if (enabledCount > MAX_ENABLED_MIRRORS_PER_PROJECT) {
        problems.push({
          path: formatPath([...projectPath, "targets"]),
          message: `has ${enabledCount} enabled mirrors; GitLab allows at most ${MAX_ENABLED_MIRRORS_PER_PROJECT} per project`,
        });
      }
    }
    byGroup.set(group, mirrors);
  }
  if (problems.length > 0) throw inventoryError(source, problems);
  return byGroup;
}

function projectKeyProblems(raw: unknown): InventoryProblem[] {
  const groups = typeof raw === "object" && raw !== null ? (raw as { groups?: unknown }).groups : undefined;
  if (typeof groups !== "object" || groups === null) return [];
  const problems: InventoryProblem[] = [];
  for (const group of Object.keys(groups)) {
    const projects = (groups as Record<string, unknown>)[group];
    const keys = typeof projects === "object" && projects !== null ? (projects as { projects?: unknown }).projects : undefined;
    if (typeof keys !== "object" || keys === null) continue;
    for (const key of Object.keys(keys)) {
      const problem = projectKeyProblem(key);
      if (problem !== null) problems.push({ path: formatPath(["groups", group, "projects", key.length > 80 ? `${key.slice(0, 80)}…` : key]), message: problem });
    }
  }
  return problems;
}

function groupNameProblems(raw: unknown): InventoryProblem[] {
  const groups = typeof raw === "object" && raw !== null ? (raw as { groups?: unknown }).groups : undefined;
  if (typeof groups !== "object" || groups === null) return [];
  return Object.keys(groups)
    .filter((group) => !NAME.test(group))
    .map((group) => ({ path: formatPath(["groups", group]), message: "is not a valid group name: use letters, digits, '_', '.', '-' (each group is a stack of that name)" }));
}

/** Reads, validates and resolves an inventory file's text. */
export function loadInventory(text: string, source: string, credentialNames?: ReadonlySet<string>): MirrorsByGroup {
  return resolveInventory(parseInventoryText(text, source), source, credentialNames);
}

function targetProblems(
  url: string,
  settings: Settings,
  targetPath: Array<string | number>,
  credentialNames: ReadonlySet<string> | undefined,
): InventoryProblem[] {
  const problems: InventoryProblem[] = [];
  const inline = inlineCredentialProblem(url);
  if (inline !== null) problems.push({ path: formatPath([...targetPath, "url"]), message: inline });
  if (settings.credentials && credentialNames && !credentialNames.has(settings.credentials)) {
    problems.push({
      path: formatPath([...targetPath, "credentials"]),
      message: `names ${settings.credentials}, which the credentials do not hold (they hold: ${[...credentialNames].sort().join(", ") || "none"})`,
    });
  }
  // The RemoteMirror's own checks (URL scheme, branch regex, host keys, conflicting settings), so that
  // a mistake fails here, with its place in the file, rather than later in one stack's preview.
  const { credentials: _credentials, ...inputs } = settings;
  // A URL holding a secret was reported above; its own check could only repeat it.
  const checkedUrl = inline !== null ? "" : url;
  for (const failure of checkInputs({ project: 1, url: checkedUrl, ...dropUndefined(inputs) })) {
    if (failure.property === "url" && checkedUrl === "") continue;
    problems.push({ path: formatPath([...targetPath, failure.property]), message: failure.reason });
  }
  return problems;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The credentials a stack holds: name -> user and password (or token). */
export const credentialsSchema = z.record(
  z.string().regex(NAME),
  z.strictObject({ username: z.string().min(1), password: z.string().min(1) }),
);
export type Credentials = z.infer<typeof credentialsSchema>;

/** The target URL with the named credential in it: what GitLab is given, and a secret. */
export function urlWithCredentials(url: string, credential: Credentials[string] | undefined): string {
  if (credential === undefined) return url;
  const withUser = new URL(url);
  withUser.username = credential.username;
  withUser.password = credential.password;
  return withUser.toString();
}
