/**
 * The GitLab REST client: public entry point (the contract with provider/mirror).
 */
import type { SettingNames } from "../connection-settings";
import { missingSettingError, settingError } from "../errors";
import { resolveClientOptions } from "./options";
import { agentFor, limiterFor } from "./pool";
import { createProjectsApi } from "./projects";
import { createRemoteMirrorsApi } from "./remote-mirrors";
import { createTransport } from "./transport";
import type { ClientOptions, ConnectionSettings, GitLabClient } from "./types";
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
} from "./types";
export { normaliseApiUrl } from "./url";
export { DEFAULT_CLIENT_OPTIONS } from "./options";
export { closeAll } from "./pool";

function validateToken(token: unknown, names: SettingNames): string {
  if (typeof token !== "string" || token.trim() === "") {
    throw missingSettingError(names, "token");
  }
  // A control character would be rejected by the HTTP layer with an error that could echo the header.
  if (/[\u0000-\u001f\u007f]/.test(token)) {
    throw settingError(names, "token", "contains a control character (a stray newline?); set it again without it");
  }
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
  return Object.freeze({
    apiUrl,
    projects: createProjectsApi(transport),
    remoteMirrors: createRemoteMirrorsApi(transport),
  });
}

/** The client the provider uses: default options, the shared pool and limiter of the host. */
export function gitlabClientFor(settings: ConnectionSettings): GitLabClient {
  return createGitLabClient(settings);
}
