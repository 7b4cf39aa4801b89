/**
 * The one place API paths are built. GitLab's `:id` accepts a numeric id or a URL-encoded full path
 * (`group%2Fsub%2Fapp`: the route requirement is "no slash"); mirror ids are positive integers.
 */
import { InvalidInputError } from "../errors";
import { quoted } from "../quote";
import type { ProjectRef } from "./types";

export type Route =
  | "/user"
  | "/projects/:id"
  | "/projects/:id/remote_mirrors"
  | "/projects/:id/remote_mirrors/:mirror_id"
  | "/projects/:id/remote_mirrors/:mirror_id/public_key"
  | "/projects/:id/remote_mirrors/:mirror_id/sync";

export interface RouteParams {
  /** Required by every route but /user. */
  id?: ProjectRef;
  mirror_id?: number;
}

/**
 * Why a number is no id. Past 2^53 - 1 the number is not the one the user wrote (it was rounded on the
 * way here), so it is not quoted: quoting it would name a different id.
 */
function idProblem(id: number): string {
  if (Number.isInteger(id) && id > Number.MAX_SAFE_INTEGER) {
    return `must be at most ${Number.MAX_SAFE_INTEGER}: a larger id cannot be held exactly, and was rounded to a different number on its way here`;
  }
  return `must be a positive integer, got ${Number.isFinite(id) ? String(id) : JSON.stringify(String(id))}`;
}

/** A numeric id as is; a full path URL-encoded. A bare name without a namespace finds nothing on GitLab. */
export function encodeProjectRef(project: ProjectRef): string {
  if (typeof project === "number") {
    if (!Number.isSafeInteger(project) || project <= 0) throw new InvalidInputError("project", `a numeric project id ${idProblem(project)}`);
    return String(project);
  }
  if (typeof project !== "string" || project.trim() === "") {
    throw new InvalidInputError("project", "must be a numeric id or a full path such as group/sub/app");
  }
  if (/^\d+$/.test(project)) {
    if (/^0+$/.test(project)) throw new InvalidInputError("project", "a numeric project id must be a positive integer, got 0");
    return project;
  }
  if (project !== project.trim() || project.startsWith("/") || project.endsWith("/") || project.includes("//")) {
    throw new InvalidInputError("project", `${quoted(project)} is not a full project path such as group/sub/app`);
  }
  if (!project.includes("/")) {
    throw new InvalidInputError(
      "project",
      `${quoted(project)} has no namespace; use the full path (group/${project.length <= 100 ? project : "<name>"}) or the numeric id`,
    );
  }
  return encodeURIComponent(project);
}

export function validateMirrorId(mirrorId: number): string {
  if (typeof mirrorId !== "number" || !Number.isSafeInteger(mirrorId) || mirrorId <= 0) {
    throw new InvalidInputError("mirrorId", typeof mirrorId === "number" ? idProblem(mirrorId) : "must be a positive integer");
  }
  return String(mirrorId);
}

/** buildPath("/projects/:id/remote_mirrors/:mirror_id", { id: "g/app", mirror_id: 7 }) -> "/projects/g%2Fapp/remote_mirrors/7" */
export function buildPath(route: Route, params: RouteParams): string {
  return route.replace(/:mirror_id|:id/g, (name) => {
    if (name === ":id") {
      if (params.id === undefined) throw new InvalidInputError("project", `is required for ${route}`);
      return encodeProjectRef(params.id);
    }
    if (params.mirror_id === undefined) throw new InvalidInputError("mirrorId", `is required for ${route}`);
    return validateMirrorId(params.mirror_id);
  });
}
