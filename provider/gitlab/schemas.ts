/**
 * zod schemas of GitLab's snake_case payloads and the one boundary where they become the contract's
 * camelCase types (and back, for request bodies). Unknown extra fields are tolerated (stripped).
 * Module-level schemas are fine: this module is only ever loaded with require() at run time.
 */
import { z } from "zod";
import type { Project, RemoteMirror, RemoteMirrorCreate, RemoteMirrorUpdate } from "./types";

const nullableTimestamp = z.string().nullable();

/**
 * An array of at most `max` items, its length checked before any item is: a server answering with a
 * million items costs one issue, not a million (zod reports every item's issues otherwise).
 */
function boundedArray<T extends z.ZodType>(item: T, max: number) {
  return z
    .array(z.unknown())
    .max(max, { error: `expected at most ${max} items` })
    .pipe(z.array(item));
}

/** GitLab pages lists by at most 100 items (per_page is capped at 100). */
export const MAX_PAGE_ITEMS = 100;
// GitLab accepts at most 10 host keys per mirror; the bound only stops a hostile server.
const MAX_HOST_KEYS = 100;

export const remoteMirrorPayload = z.object({
  id: z.number().int().positive(),
  enabled: z.boolean(),
  url: z.string().nullable(), // null when GitLab cannot parse the URL to mask it
  update_status: z.string(),
  last_update_at: nullableTimestamp,
  last_update_started_at: nullableTimestamp,
  last_successful_update_at: nullableTimestamp,
  last_error: z.string().nullable(),
  only_protected_branches: z.boolean(),
  // Nullable column with no default: null when never set. Absent on very old GitLab.
  keep_divergent_refs: z.boolean().nullable().optional(),
  // Added in 16.10; GitLab reports "password" whenever nothing is stored.
  auth_method: z.string().optional(),
  // Added in 18.4; empty for mirrors without known hosts.
  host_keys: boundedArray(z.object({ fingerprint_sha256: z.string() }), MAX_HOST_KEYS).optional(),
  // EE builds only: absent (not null) on CE.
  mirror_branch_regex: z.string().nullable().optional(),
});
export type RemoteMirrorPayload = z.infer<typeof remoteMirrorPayload>;

export const remoteMirrorListPayload = boundedArray(remoteMirrorPayload, MAX_PAGE_ITEMS);

export const projectPayload = z.object({
  id: z.number().int().positive(),
  path_with_namespace: z.string(),
  default_branch: z.string().nullable().optional(), // absent for users without repository access, null when empty
});
export type ProjectPayload = z.infer<typeof projectPayload>;

/** GET /user: only what says whose token it is. */
export const currentUserPayload = z.object({ id: z.number().int(), username: z.string() });

export const publicKeyPayload = z.object({ public_key: z.string() });

export function toRemoteMirror(payload: RemoteMirrorPayload): RemoteMirror {
  const mirror: RemoteMirror = {
    id: payload.id,
    enabled: payload.enabled,
    url: payload.url,
    updateStatus: payload.update_status,
    lastUpdateAt: payload.last_update_at,
    lastUpdateStartedAt: payload.last_update_started_at,
    lastSuccessfulUpdateAt: payload.last_successful_update_at,
    lastError: payload.last_error,
    onlyProtectedBranches: payload.only_protected_branches,
    keepDivergentRefs: payload.keep_divergent_refs ?? null,
    authMethod: payload.auth_method ?? "password",
    hostKeys: (payload.host_keys ?? []).map((key) => ({ fingerprintSha256: key.fingerprint_sha256 })),
  };
  // Keep "absent" distinguishable from null: undefined means this GitLab (CE) has no such field.
  if (payload.mirror_branch_regex !== undefined) mirror.mirrorBranchRegex = payload.mirror_branch_regex;
  return mirror;
}

export function toProject(payload: ProjectPayload): Project {
  return {
    id: payload.id,
    pathWithNamespace: payload.path_with_namespace,
    defaultBranch: payload.default_branch ?? null,
  };
}

const SNAKE_KEYS = {
  url: "url",
  enabled: "enabled",
  authMethod: "auth_method",
  onlyProtectedBranches: "only_protected_branches",
  keepDivergentRefs: "keep_divergent_refs",
  mirrorBranchRegex: "mirror_branch_regex",
  hostKeys: "host_keys",
} as const satisfies Record<keyof RemoteMirrorCreate, string>;

/**
 * Only the keys present (and not undefined) are sent. GitLab treats presence as intent: e.g.
 * `mirror_branch_regex` and `only_protected_branches` are mutually exclusive by key, even when one is null.
 */
export function toMirrorRequestBody(attrs: RemoteMirrorCreate | RemoteMirrorUpdate): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [camel, snake] of Object.entries(SNAKE_KEYS)) {
    const value = (attrs as Record<string, unknown>)[camel];
    if (value !== undefined) body[snake] = value;
  }
  return body;
}

/** zod issues flattened for a person: "0.id: Invalid input: expected number, received string; ...". */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const at = issue.path.length > 0 ? issue.path.map(String).join(".") : "(root)";
    return `${at}: ${issue.message}`;
  });
}
