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

/** An unknown token is a 401 before anything else; no token is an anonymous caller. */
export function authenticate(store: Store, token: string | undefined): Caller | undefined {
  if (token === undefined) return undefined;
  const found = store.findUserByToken(token);
  if (!found) throw errors.unauthorized();
  return found;
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
export function findProject(store: Store, id: string): ProjectRecord | undefined {
  if (/^-?\d+$/.test(id)) return store.findProjectById(Number(id));
  if (id.includes("/")) return store.findProjectByPath(id);
  return undefined;
}

export function findReadableProject(store: Store, id: string, caller: Caller | undefined): ProjectRecord {
  const project = findProject(store, id);
  if (!project || !canReadProject(project, caller)) throw errors.projectNotFound();
  return project;
}
