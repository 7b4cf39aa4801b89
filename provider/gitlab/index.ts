/**
 * The GitLab REST client: public entry point (the contract with provider/mirror).
 */
import { ConfigError } from "../errors";
import type { ClientOptions, ConnectionSettings, GitLabClient } from "./types";

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

// Placeholders so provider/mirror compiles against the contract; replaced by the transport-backed client.
export function createGitLabClient(_settings: ConnectionSettings, _options?: Partial<ClientOptions>): GitLabClient {
  throw new ConfigError("createGitLabClient", "the GitLab client is not implemented yet");
}

export function gitlabClientFor(_settings: ConnectionSettings): GitLabClient {
  throw new ConfigError("gitlabClientFor", "the GitLab client is not implemented yet");
}
