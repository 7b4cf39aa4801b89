import type { MirrorContext } from "./context";

/** The numeric id of a project given as an id or a full path (GET /projects/:id, cached per process). */
export async function resolveProjectId(ctx: MirrorContext, project: number | string): Promise<number> {
  if (typeof project === "number") return project;
  const cached = ctx.projectIds.get(ctx.client.apiUrl, project);
  if (cached !== undefined) return cached;
  const found = await ctx.client.projects.get(project);
  ctx.projectIds.set(ctx.client.apiUrl, project, found.id);
  return found.id;
}
