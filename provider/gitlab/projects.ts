/** GitLab's Projects resource: only what the provider needs (turning a path into a numeric id). */
import { currentUserPayload, projectPayload, toProject } from "./schemas";
import { decodeBody, type Transport } from "./transport";
import type { ProjectsApi, UsersApi } from "./types";

export function createProjectsApi(transport: Transport): ProjectsApi {
  return {
    async get(project) {
      const response = await transport({ method: "GET", route: "/projects/:id", params: { id: project }, idempotent: true });
      return toProject(decodeBody(projectPayload, response));
    },
  };
}

/** GitLab's Users resource: only whose the token is (the provider's early token check). */
export function createUsersApi(transport: Transport): UsersApi {
  return {
    async current() {
      const response = await transport({ method: "GET", route: "/user", params: {}, idempotent: true });
      return decodeBody(currentUserPayload, response);
    },
  };
}
