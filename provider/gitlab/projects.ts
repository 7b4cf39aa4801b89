/** GitLab's Projects resource: only what the provider needs (turning a path into a numeric id). */
import { projectPayload, toProject } from "./schemas";
import { decodeBody, type Transport } from "./transport";
import type { ProjectsApi } from "./types";

export function createProjectsApi(transport: Transport): ProjectsApi {
  return {
    async get(project) {
      const response = await transport({ method: "GET", route: "/projects/:id", params: { id: project }, idempotent: true });
      return toProject(decodeBody(projectPayload, response));
    },
  };
}
