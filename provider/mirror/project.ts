import type { MirrorContext } from "./context";

/** The numeric id of a project given as an id or a full path (GET /projects/:id, once per path per process). */
export function resolveProjectId(ctx: MirrorContext, project: number | string): Promise<number> {
  if (typeof project === "number") return Promise.resolve(project);
  return ctx.projectIds.resolve(ctx.client.apiUrl, project, async () => (await ctx.client.projects.get(project)).id);
}
