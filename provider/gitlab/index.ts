/**
 * The GitLab REST client: public entry point (the contract with provider/mirror).
 */
import type { SettingNames } from "../connection-settings";
import { missingSettingError, settingError } from "../errors";
import { resolveClientOptions } from "./options";
import { agentFor, limiterFor } from "./pool";
import { createProjectsApi, createUsersApi } from "./projects";
import { createRemoteMirrorsApi } from "./remote-mirrors";
import { createTransport, type Transport } from "./transport";
import type { ClientOptions, ConnectionSettings, GitLabClient } from "./types";
import { tokenProblem } from "./token";
import { normaliseApiUrl } from "./url";

export type {
  ClientOptions,
  ConnectionSettings,
  GitLabClient,
  Project,
  ProjectRef,
  ProjectsApi,
  RemoteMirror,
  RemoteMirrorCreate,
  RemoteMirrorUpdate,
  RemoteMirrorsApi,
  UsersApi,
} from "./types";
export { normaliseApiUrl } from "./url";
export { tokenProblem } from "./token";
export { DEFAULT_CLIENT_OPTIONS } from "./options";
export { closeAll } from "./pool";

function validateToken(token: unknown, names: SettingNames): string {
  if (typeof token !== "string" || token.trim() === "") {
    throw missingSettingError(names, "token");
  }
  // Refused before any request: the HTTP layer would refuse it with an error that could echo the header,
  // which the retry logic would take for a request that may have reached GitLab.
  const problem = tokenProblem(token);
  if (problem !== null) throw settingError(names, "token", problem);
  return token;
}

/**
 * A client for one GitLab and one token. Requests share the process-wide limiter of the API URL and,
 * unless a dispatcher is injected, its pooled keep-alive Agent.
 */
export function createGitLabClient(settings: ConnectionSettings, options: Partial<ClientOptions> = {}): GitLabClient {
  const resolved = resolveClientOptions(options);
  const apiUrl = normaliseApiUrl(settings?.baseUrl, resolved.settingNames);
  const token = validateToken(settings?.token, resolved.settingNames);
  const transport = createTransport({
    apiUrl,
    token,
    dispatcher: resolved.dispatcher ?? agentFor(apiUrl, resolved),
    limiter: limiterFor(apiUrl, resolved.maxConnectionsPerHost),
    options: resolved,
  });
  return clientOf(apiUrl, transport);
}

function clientOf(apiUrl: string, transport: Transport): GitLabClient {
  return Object.freeze({
    apiUrl,
    projects: createProjectsApi(transport),
    remoteMirrors: createRemoteMirrorsApi(transport),
    users: createUsersApi(transport),
    withSecrets(secrets: readonly string[]): GitLabClient {
      const extra = secrets.filter((secret) => typeof secret === "string" && secret !== "");
      if (extra.length === 0) return this;
      return clientOf(apiUrl, (req) => transport({ ...req, secrets: [...(req.secrets ?? []), ...extra] }));
    },
  });
}

/** The client the provider uses: default options, the shared pool and limiter of the host. */
export function gitlabClientFor(settings: ConnectionSettings): GitLabClient {
  return createGitLabClient(settings);
}
