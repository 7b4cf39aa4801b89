/**
 * The seven remote-mirror endpoints (lib/api/remote_mirrors.rb), each doing what GitLab does in
 * the same order: project lookup and ability (the `before` hook), parameter validation (Grape),
 * host-key conversion, then the model rules.
 */
import { errors } from "../errors";
import { convertHostKeys } from "../model/host-keys";
import { applyAttributes, AUTH_METHODS, resetRunFields, validateMirror, type MirrorAttributes, type MirrorDraft } from "../model/mirror-rules";
import { fullUrl } from "../model/mirror-url";
import { authMethodOf, mirrorView } from "../model/mirror-view";
import type { SshKeyPair } from "../model/ssh-key";
import type { MirrorRecord, ProjectRecord } from "../model/types";
import { coerceBoolean, coerceInteger, coerceString, coerceStringArray, has, toQuery, type Params } from "../http/params";
import type { ApiRequest, Router } from "../http/router";
import { canAdminRemoteMirrors, findReadableProject } from "./access";
import { computedEnabled, projectLookup, type ApiContext } from "./context";

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;

function authorizedProject(ctx: ApiContext, req: ApiRequest): ProjectRecord {
  const project = findReadableProject(ctx.store, projectLookup(ctx, req));
  if (!canAdminRemoteMirrors(project, req.caller, ctx.store.settings.mirrorAvailable)) throw errors.unauthorized();
  return project;
}

/** `remote_mirrors.find(params[:mirror_id])`: Rails casts "12abc" to 12; other projects' mirrors are not found. */
function scopedMirror(ctx: ApiContext, project: ProjectRecord, rawId: string): MirrorRecord {
  const digits = /^\s*\+?(\d+)/.exec(rawId);
  const mirror = digits ? ctx.store.findMirror(Number(digits[1])) : undefined;
  if (!mirror || mirror.projectId !== project.id) throw errors.mirrorNotFound();
  return mirror;
}

function view(ctx: ApiContext, mirror: MirrorRecord, project: ProjectRecord): Record<string, unknown> {
  return mirrorView(mirror, computedEnabled(ctx, mirror, project), ctx.store.settings.edition);
}

/** Grape's declared params with their coercions; all problems reported at once. */
function declaredMirrorParams(params: Params, mode: "create" | "update", edition: "ee" | "ce"): MirrorAttributes & { hostKeys?: string[] } {
  const problems: string[] = [];
  const out: MirrorAttributes & { hostKeys?: string[] } = {};
  if (mode === "create") {
    if (!has(params, "url")) problems.push("url is missing");
    else {
      const url = coerceString(params.url);
      if (url.ok) out.url = url.value;
      else problems.push("url is invalid");
    }
  }
  const bool = (key: string): boolean | null | undefined => {
    if (!has(params, key)) return undefined;
    const coerced = coerceBoolean(params[key]);
    if (coerced.ok) return coerced.value;
    problems.push(`${key} is invalid`);
    return undefined;
  };
  out.enabled = bool("enabled");
  if (has(params, "auth_method")) {
    const authMethod = coerceString(params.auth_method);
    if (!authMethod.ok) problems.push("auth_method is invalid");
    else if (mode === "create" && authMethod.value !== null && !(AUTH_METHODS as readonly string[]).includes(authMethod.value)) {
      // POST declares `values:`; PUT leaves the check to the model.
      problems.push("auth_method does not have a valid value");
    } else out.authMethod = authMethod.value;
  }
  out.keepDivergentRefs = bool("keep_divergent_refs");
  out.onlyProtectedBranches = bool("only_protected_branches");
  if (edition === "ee" && has(params, "mirror_branch_regex")) {
    const regex = coerceString(params.mirror_branch_regex);
    if (regex.ok) out.mirrorBranchRegex = regex.value;
    else problems.push("mirror_branch_regex is invalid");
    if (has(params, "only_protected_branches")) problems.push("only_protected_branches, mirror_branch_regex are mutually exclusive");
  }
  if (has(params, "host_keys")) {
    const hostKeys = coerceStringArray(params.host_keys);
    if (hostKeys.ok) out.hostKeys = hostKeys.value;
    else problems.push("host_keys is invalid");
  }
  if (problems.length > 0) throw errors.invalidParams(problems);
  for (const key of Object.keys(out) as Array<keyof typeof out>) if (out[key] === undefined) delete out[key];
  return out;
}

function knownHostsFor(hostKeys: string[] | undefined, url: string): string | null | undefined {
  if (hostKeys === undefined) return undefined;
  const converted = convertHostKeys(hostKeys, url);
  if (!converted.ok) throw errors.invalidHostKeys(converted.detail);
  return converted.knownHosts ?? null;
}

/** Generated once when ssh_public_key is chosen, even without an SSH URL; never regenerated. */
function needsKey(draft: MirrorDraft): boolean {
  return draft.credentials.authMethod === "ssh_public_key" && !draft.credentials.sshPrivateKey;
}

function assignKey(draft: MirrorDraft, key: SshKeyPair): void {
  draft.credentials.sshPrivateKey = key.privateKeyPem;
  draft.credentials.sshPublicKey = key.publicKey;
}

function validateOrThrow(ctx: ApiContext, draft: MirrorDraft, project: ProjectRecord, creating: boolean, wasEnabled: boolean): void {
  const location = ctx.location();
  const problems = validateMirror(draft, {
    creating,
    wasEnabled,
    siblings: ctx.store.mirrorsOf(project.id).filter((m) => m.id !== draft.id),
    maxEnabledMirrors: ctx.store.settings.maxEnabledMirrorsPerProject,
    allowLocalRequests: ctx.store.settings.allowLocalRequests,
    edition: ctx.store.settings.edition,
    self: { hosts: location.hosts, httpPort: location.port, projectPath: project.path },
  });
  if (Object.keys(problems).length > 0) throw errors.validationFailed(problems);
}

function recordOverride(ctx: ApiContext, req: ApiRequest, project: ProjectRecord): void {
  if (!ctx.store.settings.mirrorAvailable && req.caller?.user.admin && !project.remoteMirrorAvailableOverridden) {
    ctx.store.updateProject(project.id, (p) => { p.remoteMirrorAvailableOverridden = true; });
  }
}

function paginationParam(params: Params, key: string, fallback: number, problems: string[]): number {
  if (!has(params, key)) return fallback;
  const coerced = coerceInteger(params[key]);
  if (!coerced.ok) {
    problems.push(`${key} is invalid`);
    return fallback;
  }
  return coerced.value ?? fallback;
}

/**
 * OffsetHeaderBuilder#page_href: the request URL with every parameter (route parameters such as
 * `id` included) plus `page` and the request's own `per_page`, through Hash#to_query (sorted).
 */
function linkHeader(ctx: ApiContext, req: ApiRequest, page: number, requestPerPage: number, totalPages: number): string {
  const link = (target: number, rel: string): string => {
    const query = toQuery({ ...req.params, ...req.pathParams, page: target, per_page: requestPerPage });
    return `<${ctx.location().baseUrl}${req.url.pathname}?${query}>; rel="${rel}"`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(link(page - 1, "prev"));
  if (page < totalPages) parts.push(link(page + 1, "next"));
  parts.push(link(1, "first"), link(totalPages, "last"));
  return parts.join(", ");
}

export function registerRemoteMirrorRoutes(router: Router, ctx: ApiContext): void {
  const base = "/projects/:id/remote_mirrors";

  router.add("GET", base, async (req) => {
    const project = authorizedProject(ctx, req);
    const problems: string[] = [];
    let page = paginationParam(req.params, "page", 1, problems);
    let perPage = paginationParam(req.params, "per_page", DEFAULT_PER_PAGE, problems);
    if (has(req.params, "per_page") && perPage === 0 && problems.length === 0) problems.push("per_page has a value not allowed");
    if (problems.length > 0) throw errors.invalidParams(problems);
    const requestPerPage = perPage;
    if (page < 1) page = 1;
    if (perPage < 0) perPage = DEFAULT_PER_PAGE;
    perPage = Math.min(perPage, MAX_PER_PAGE);
    const all = ctx.store.mirrorsOf(project.id);
    const totalPages = Math.max(1, Math.ceil(all.length / perPage));
    const items = all.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: items.map((m) => view(ctx, m, project)),
      headers: {
        "X-Per-Page": String(perPage),
        "X-Page": String(page),
        "X-Next-Page": page < totalPages ? String(page + 1) : "",
        "X-Prev-Page": page > 1 ? String(page - 1) : "",
        "X-Total": String(all.length),
        "X-Total-Pages": String(totalPages),
        Link: linkHeader(ctx, req, page, requestPerPage, totalPages),
      },
    };
  });

  router.add("GET", `${base}/:mirror_id`, async (req) => {
    const project = authorizedProject(ctx, req);
    return { status: 200, body: view(ctx, scopedMirror(ctx, project, req.pathParams.mirror_id), project) };
  });

  router.add("POST", base, async (req) => {
    const project = authorizedProject(ctx, req);
    const edition = ctx.store.settings.edition;
    const attrs = declaredMirrorParams(req.params, "create", edition);
    const knownHosts = knownHostsFor(attrs.hostKeys, attrs.url ?? "");
    const now = ctx.clock.now();
    const blank: MirrorDraft = {
      id: 0,
      projectId: project.id,
      enabled: false,
      url: "",
      credentials: {},
      updateStatus: "none",
      lastUpdateAt: null,
      lastUpdateStartedAt: null,
      lastSuccessfulUpdateAt: null,
      lastError: null,
      onlyProtectedBranches: false,
      keepDivergentRefs: null,
      mirrorBranchRegex: null,
      createdAt: now,
      updatedAt: now,
    };
    const draft = applyAttributes(blank, { ...attrs, url: attrs.url ?? "", knownHosts }, edition);
    validateOrThrow(ctx, draft, project, true, false);
    if (needsKey(draft)) {
      assignKey(draft, await ctx.generateKey());
      validateOrThrow(ctx, draft, project, true, false); // others may have saved meanwhile
    }
    recordOverride(ctx, req, project);
    const saved = ctx.store.insertMirror((id) => ({ ...draft, id, onlyProtectedBranches: draft.onlyProtectedBranches ?? false }));
    return { status: 201, body: view(ctx, saved, project) };
  });

  router.add("PUT", `${base}/:mirror_id`, async (req) => {
    const project = authorizedProject(ctx, req);
    const mirrorId = scopedMirror(ctx, project, req.pathParams.mirror_id).id;
    const edition = ctx.store.settings.edition;
    const attrs = declaredMirrorParams(req.params, "update", edition);
    return ctx.mirrorWrites.run(mirrorId, async () => {
      let key: SshKeyPair | undefined;
      for (;;) {
        // Read (again, after waiting for a key): the draft is always built from the live record.
        const mirror = scopedMirror(ctx, project, String(mirrorId));
        const knownHosts = knownHostsFor(attrs.hostKeys, fullUrl(mirror.url, mirror.credentials));
        const draft = applyAttributes(mirror, { ...attrs, knownHosts }, edition);
        if (key && needsKey(draft)) assignKey(draft, key);
        validateOrThrow(ctx, draft, project, false, mirror.enabled);
        if (needsKey(draft)) {
          key = await ctx.generateKey();
          continue;
        }
        // Credential setters mark `credentials` changed whenever they are assigned.
        if (attrs.authMethod !== undefined || attrs.hostKeys !== undefined) resetRunFields(draft);
        draft.updatedAt = ctx.clock.now();
        recordOverride(ctx, req, project);
        const saved = ctx.store.updateMirror(mirror.id, (m) => {
          Object.assign(m, draft, { onlyProtectedBranches: draft.onlyProtectedBranches ?? false });
        });
        if (!saved) throw errors.mirrorNotFound();
        return { status: 200, body: view(ctx, saved, project) };
      }
    });
  });

  router.add("DELETE", `${base}/:mirror_id`, async (req) => {
    const project = authorizedProject(ctx, req);
    const mirrorId = scopedMirror(ctx, project, req.pathParams.mirror_id).id;
    return ctx.mirrorWrites.run(mirrorId, async () => {
      const mirror = scopedMirror(ctx, project, String(mirrorId));
      const header = req.headers["if-unmodified-since"];
      if (typeof header === "string") {
        const since = Date.parse(header);
        if (!Number.isNaN(since) && mirror.updatedAt > since) throw errors.preconditionFailed();
      }
      ctx.store.deleteMirror(mirror.id);
      return { status: 204 };
    });
  });

  router.add("GET", `${base}/:mirror_id/public_key`, async (req) => {
    const project = authorizedProject(ctx, req);
    const mirror = scopedMirror(ctx, project, req.pathParams.mirror_id);
    const sshUrl = /^ssh:\/\//i.test(mirror.url);
    const publicKey = mirror.credentials.sshPublicKey;
    if (!sshUrl || authMethodOf(mirror) !== "ssh_public_key" || !publicKey) throw errors.notFound();
    return { status: 200, body: { public_key: `${publicKey} git@${ctx.location().publicHost}` } };
  });

  router.add("POST", `${base}/:mirror_id/sync`, async (req) => {
    const project = authorizedProject(ctx, req);
    const mirror = scopedMirror(ctx, project, req.pathParams.mirror_id);
    if (!computedEnabled(ctx, mirror, project)) throw errors.syncUnavailable();
    if (mirror.updateStatus !== "started") ctx.syncer.sync(mirror.id);
    return { status: 204 };
  });
}

