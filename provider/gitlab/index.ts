/**
 * The GitLab REST client: public entry point (the contract with provider/mirror).
 */
import { ConfigError, missingSettingError } from "../errors";
import { resolveClientOptions } from "./options";
import { agentFor, limiterFor } from "./pool";
import { createProjectsApi } from "./projects";
import { createRemoteMirrorsApi } from "./remote-mirrors";
import { createTransport, type Transport } from "./transport";
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

function validateToken(token: unknown): string {
  if (typeof token !== "string" || token.trim() === "") {
    throw missingSettingError("gitlab:token");
  }
  // A control character would be rejected by the HTTP layer with an error that could echo the header.
  if (/[\u0000-\u001f\u007f]/.test(token)) {
    throw new ConfigError("gitlab:token", "contains a control character (a stray newline?); set it again without it", {
      envVar: "GITLAB_TOKEN",
    });
  }
  return token;
}

/**
 * A client for one GitLab and one token. Requests share the process-wide limiter of the API URL and,
 * unless a dispatcher is injected, its pooled keep-alive Agent.
 */
export function createGitLabClient(settings: ConnectionSettings, options: Partial<ClientOptions> = {}): GitLabClient {
  const apiUrl = normaliseApiUrl(settings?.baseUrl);
  const token = validateToken(settings?.token);
  const resolved = resolveClientOptions(options);
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
