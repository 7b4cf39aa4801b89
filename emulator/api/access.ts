/**
 * Who is calling and what they may do: token lookup (API guard), scopes, project visibility
 * and the `admin_remote_mirror` ability (ProjectPolicy).
 */
import type { IncomingHttpHeaders } from "node:http";
import { errors } from "../errors";
import type { Store } from "../store";
import type { ProjectRecord, UserRecord } from "../model/types";
import type { Role } from "../seed";

export interface Caller {
  user: UserRecord;
  scopes: string[];
}

const ROLE_LEVEL: Record<Role, number> = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 };

/** PRIVATE-TOKEN header, `Authorization: Bearer`, or the `private_token` parameter. */
export function tokenFrom(headers: IncomingHttpHeaders, params: Record<string, unknown>): string | undefined {
  const header = headers["private-token"];
  if (typeof header === "string" && header !== "") return header;
  const authorization = headers.authorization;
  if (typeof authorization === "string") {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (bearer) return bearer[1];
  }
  const param = params.private_token;
  return typeof param === "string" && param !== "" ? param : undefined;
}

/** An unknown, expired or revoked token is a 401 before anything else; no token is an anonymous caller. */
export function authenticate(store: Store, token: string | undefined, now: number): Caller | undefined {
  if (token === undefined) return undefined;
  const found = store.findUserByToken(token);
  if (!found) throw errors.unauthorized();
  if (found.token.revoked) throw errors.tokenRevoked();
  if (found.token.expiresAt !== undefined && Date.parse(found.token.expiresAt) <= now) throw errors.tokenExpired();
  return { user: found.user, scopes: found.token.scopes };
}

/** The same checks for git over HTTP, where every failure simply asks for credentials again. */
export function callerForGit(store: Store, token: string, now: number): Caller | undefined {
  try {
    return authenticate(store, token, now);
  } catch {
    return undefined;
  }
}

/** `api` allows everything; `read_api` only GET/HEAD (allow_access_with_scope). */
export function checkApiScope(caller: Caller | undefined, method: string): void {
  if (!caller) return;
  const reading = method === "GET" || method === "HEAD";
  if (caller.scopes.includes("api")) return;
  if (reading && caller.scopes.includes("read_api")) return;
  throw errors.insufficientScope(reading ? "api read_api" : "api");
}

export function roleOf(project: ProjectRecord, caller: Caller | undefined): number {
  if (!caller) return 0;
  const role = project.members[caller.user.username];
  return role ? ROLE_LEVEL[role] : 0;
}

/** GitLab's visibility: public to all, internal to any signed-in user, private to members and admins. */
export function canReadProject(project: ProjectRecord, caller: Caller | undefined): boolean {
  if (project.visibility === "public") return true;
  if (!caller) return false;
  if (caller.user.admin || project.visibility === "internal") return true;
  return roleOf(project, caller) > 0;
}

/** `admin_remote_mirror` = (mirror available and Maintainer/Owner) or instance admin. */
export function canAdminRemoteMirrors(project: ProjectRecord, caller: Caller | undefined, mirrorAvailable: boolean): boolean {
  if (!caller) return false;
  if (caller.user.admin) return true;
  const available = mirrorAvailable || project.remoteMirrorAvailableOverridden;
  return available && roleOf(project, caller) >= ROLE_LEVEL.maintainer;
}

export function canPushToProject(project: ProjectRecord, caller: Caller | undefined): boolean {
  if (!caller) return false;
  return caller.user.admin || roleOf(project, caller) >= ROLE_LEVEL.developer;
}

/** `find_project`: all digits is an id, a value with a slash is a full path, anything else finds nothing. */
export function findProject(store: Store, id: string): { project: ProjectRecord; moved: boolean } | undefined {
  if (/^-?\d+$/.test(id)) {
    const project = store.findProjectById(Number(id));
    return project && { project, moved: false };
  }
  if (!id.includes("/")) return undefined;
  const current = store.findProjectByPath(id);
  if (current) return { project: current, moved: false };
  const moved = store.findMovedProject(id);
  return moved && { project: moved, moved: true };
}

export interface ProjectLookup {
  id: string;
  caller: Caller | undefined;
  method: string;
  /** Builds the same request URL with the numeric id, for the moved-project redirect. */
  redirectTo(projectId: number): string;
}

/** `find_project!`: invisible is 404; an old path redirects GETs (301) and refuses the rest (405). */
export function findReadableProject(store: Store, lookup: ProjectLookup): ProjectRecord {
  const found = findProject(store, lookup.id);
  if (!found || !canReadProject(found.project, lookup.caller)) throw errors.projectNotFound();
  if (found.moved) {
    if (lookup.method === "GET" || lookup.method === "HEAD") throw errors.movedProjectRedirect(lookup.redirectTo(found.project.id));
    throw errors.movedProjectWrite();
  }
  return found.project;
}
