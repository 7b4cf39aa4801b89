/** The neighbouring endpoints clients need: `GET /projects/:id`, `GET /user`, `GET /version`. */
import { errors } from "../errors";
import type { Router } from "../http/router";
import type { ProjectRecord } from "../model/types";
import { findReadableProject } from "./access";
import { projectLookup, type ApiContext } from "./context";

export const EMULATED_VERSION = "18.9.0";

function projectView(ctx: ApiContext, project: ProjectRecord, emptyRepo: boolean): Record<string, unknown> {
  const { baseUrl } = ctx.location();
  const segments = project.path.split("/");
  const name = segments[segments.length - 1];
  const namespacePath = segments.slice(0, -1).join("/");
  return {
    id: project.id,
    description: null,
    name,
    name_with_namespace: segments.join(" / "),
    path: name,
    path_with_namespace: project.path,
    created_at: new Date(project.createdAt).toISOString(),
    default_branch: project.defaultBranch,
    visibility: project.visibility,
    http_url_to_repo: `${baseUrl}/${project.path}.git`,
    web_url: `${baseUrl}/${project.path}`,
    namespace: {
      name: segments[segments.length - 2],
      path: segments[segments.length - 2],
      kind: "group",
      full_path: namespacePath,
    },
    empty_repo: emptyRepo,
    archived: false,
  };
}

export function registerProjectRoutes(router: Router, ctx: ApiContext): void {
  router.add("GET", "/projects/:id", async (req) => {
    const project = findReadableProject(ctx.store, projectLookup(ctx, req));
    const emptyRepo = await ctx.repos.isEmpty(ctx.repos.projectRepo(project.id));
    return { status: 200, body: projectView(ctx, project, emptyRepo) };
  });

  router.add("GET", "/user", async (req) => {
    if (!req.caller) throw errors.unauthorized();
    const { user } = req.caller;
    return { status: 200, body: { id: ctx.store.userId(user.username), username: user.username, name: user.username, state: "active", is_admin: user.admin } };
  });

  router.add("GET", "/version", async (req) => {
    if (!req.caller) throw errors.unauthorized();
    const edition = ctx.store.settings.edition;
    return { status: 200, body: { version: `${EMULATED_VERSION}-${edition}`, revision: "emulator", enterprise: edition === "ee" } };
  });
}
