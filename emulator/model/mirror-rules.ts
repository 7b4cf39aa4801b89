/**
 * The RemoteMirror model rules applied on save: attribute filtering (EE RemoteMirrors::Attributes)
 * and validations, producing GitLab's `{attr: [messages]}` errors. Pure: no store, no I/O.
 */
import type { ValidationErrors } from "../errors";
import type { Edition } from "../seed";
import { MAX_BRANCH_REGEX_LENGTH, re2SyntaxError } from "./branch-regex";
import { fullUrl, isSelfMirror, splitCredentials, validateMirrorUrl, type SelfLocation } from "./mirror-url";
import type { MirrorRecord } from "./types";

export const AUTH_METHODS = ["ssh_public_key", "password"] as const;

/** Declared, coerced request attributes; `undefined` means "not sent". */
export interface MirrorAttributes {
  url?: string | null;
  enabled?: boolean | null;
  authMethod?: string | null;
  keepDivergentRefs?: boolean | null;
  onlyProtectedBranches?: boolean | null;
  mirrorBranchRegex?: string | null;
  /** Already converted known_hosts text; null clears. */
  knownHosts?: string | null;
}

/** A mirror being saved: the record's fields, with `onlyProtectedBranches` possibly null (invalid). */
export type MirrorDraft = Omit<MirrorRecord, "onlyProtectedBranches"> & { onlyProtectedBranches: boolean | null };

export function applyAttributes(draft: MirrorDraft, attrs: MirrorAttributes, edition: Edition): MirrorDraft {
  const next: MirrorDraft = { ...draft, credentials: { ...draft.credentials } };
  if (attrs.url !== undefined) {
    // RemoteMirror#url=: credentials merged over the old ones, so a URL without userinfo clears them.
    const split = splitCredentials(attrs.url ?? "");
    next.url = split.url;
    next.credentials.user = split.user;
    next.credentials.password = split.password;
  }
  if (attrs.enabled !== undefined) next.enabled = attrs.enabled ?? false;
  if (attrs.authMethod !== undefined) next.credentials.authMethod = attrs.authMethod || undefined;
  if (attrs.keepDivergentRefs !== undefined) next.keepDivergentRefs = attrs.keepDivergentRefs;
  if (attrs.onlyProtectedBranches !== undefined) next.onlyProtectedBranches = attrs.onlyProtectedBranches;
  if (attrs.knownHosts !== undefined) next.credentials.sshKnownHosts = attrs.knownHosts ?? undefined;
  if (edition === "ee") {
    if (attrs.mirrorBranchRegex !== undefined) next.mirrorBranchRegex = attrs.mirrorBranchRegex;
    // EE::RemoteMirrors::Attributes#allowed: the two filters exclude each other.
    if (attrs.mirrorBranchRegex) next.onlyProtectedBranches = false;
    if (attrs.onlyProtectedBranches === true) next.mirrorBranchRegex = null;
  }
  return next;
}

export interface ValidationContext {
  creating: boolean;
  /** The stored flag before this save (false when creating). */
  wasEnabled: boolean;
  /** The project's other mirrors. */
  siblings: MirrorRecord[];
  maxEnabledMirrors: number;
  allowLocalRequests: boolean;
  edition: Edition;
  self: SelfLocation;
}

function add(errors: ValidationErrors, attr: string, message: string): void {
  (errors[attr] ??= []).push(message);
}

export function validateMirror(draft: MirrorDraft, ctx: ValidationContext): ValidationErrors {
  const errors: ValidationErrors = {};
  const url = fullUrl(draft.url, draft.credentials);
  for (const message of validateMirrorUrl(url, { allowLocalRequests: ctx.allowLocalRequests })) add(errors, "url", message);
  if (draft.onlyProtectedBranches === null) add(errors, "only_protected_branches", "can't be blank");
  const enabling = draft.enabled && (ctx.creating || !ctx.wasEnabled);
  if (enabling && ctx.siblings.filter((m) => m.enabled).length >= ctx.maxEnabledMirrors) {
    add(errors, "base", `Maximum number of push mirrors (${ctx.maxEnabledMirrors}) exceeded for this project.`);
  }
  // Existing duplicates are grandfathered: only a new (or changed) URL is checked.
  if (ctx.creating && draft.url !== "" && ctx.siblings.some((m) => m.url === draft.url)) add(errors, "url", "has already been taken");
  if (draft.url !== "" && isSelfMirror(draft.url, ctx.self)) add(errors, "base", "You cannot mirror a repository to itself.");
  const authMethod = draft.credentials.authMethod;
  if (authMethod && !(AUTH_METHODS as readonly string[]).includes(authMethod)) add(errors, "auth_method", "is not included in the list");
  if (ctx.edition === "ee" && draft.mirrorBranchRegex) {
    if (draft.mirrorBranchRegex.length > MAX_BRANCH_REGEX_LENGTH) {
      add(errors, "mirror_branch_regex", `is too long (maximum is ${MAX_BRANCH_REGEX_LENGTH} characters)`);
    }
    const syntax = re2SyntaxError(draft.mirrorBranchRegex);
    if (syntax) add(errors, "mirror_branch_regex", `not valid RE2 syntax: ${syntax}`);
    if (draft.onlyProtectedBranches) add(errors, "mirror_branch_regex", "must be blank");
  }
  return errors;
}

/** `reset_fields`: a change of URL or credentials forgets the last run. */
export function resetRunFields(draft: MirrorDraft): void {
  draft.lastError = null;
  draft.lastUpdateAt = null;
  draft.lastSuccessfulUpdateAt = null;
  draft.updateStatus = "finished";
}
