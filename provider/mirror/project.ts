import type { MirrorContext } from "./context";

/**
 * A project id written as digits, as a number, or null when the digits are no id we can keep exact.
 * JavaScript numbers hold integers exactly only up to 2^53 - 1: "99999999999999999999" would become
 * 1e20, and two different large ids would compare equal. GitLab's ids are far below that bound.
 */
export function numericProjectId(digits: string): number | null {
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Why a project id is not one we accept, or null when it is fine. Shared by check and normalisation. */
export function projectIdProblem(id: number | string): string | null {
  const value = typeof id === "number" ? id : Number(id);
  if (Number.isInteger(value) && value > 0 && !Number.isSafeInteger(value)) {
    return `is an id above ${Number.MAX_SAFE_INTEGER}, which cannot be kept exact; GitLab's project ids are far smaller, so check it (or use the project's full path)`;
  }
  return Number.isSafeInteger(value) && value > 0 ? null : "must be a positive whole number when given as an id";
}

/** The numeric id of a project given as an id or a full path (GET /projects/:id, once per path per process). */
export function resolveProjectId(ctx: MirrorContext, project: number | string): Promise<number> {
  if (typeof project === "number") return Promise.resolve(project);
  return ctx.projectIds.resolve(ctx.client.apiUrl, project, async () => (await ctx.client.projects.get(project)).id);
}
