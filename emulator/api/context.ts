/** What the API handlers need from the running emulator. */
import type { Clock } from "../clock";
import type { Repositories } from "../git/repositories";
import type { SshKeyPair } from "../model/ssh-key";
import type { Store } from "../store";
import type { ProjectRecord, MirrorRecord } from "../model/types";
import type { ApiRequest } from "../http/router";
import type { ProjectLookup } from "./access";
import type { KeyedQueue } from "./write-queue";

export interface ServerLocation {
  baseUrl: string;
  /** Host names the emulator answers to (for the self-mirror check). */
  hosts: string[];
  port: number;
  /** `Gitlab.config.gitlab.host`: the comment of mirror public keys is `git@<publicHost>`. */
  publicHost: string;
}

export interface MirrorSyncer {
  /** RemoteMirror#sync: schedules a push (possibly delayed by the back-off). */
  sync(mirrorId: number): void;
}

export interface ApiContext {
  store: Store;
  repos: Repositories;
  clock: Clock;
  syncer: MirrorSyncer;
  location(): ServerLocation;
  generateKey(): Promise<SshKeyPair>;
  /** Serialises the writes (PUT, DELETE) to each mirror. */
  mirrorWrites: KeyedQueue;
}

/** RemoteMirror#enabled: the stored flag, mirroring available, repository present. */
export function computedEnabled(ctx: Pick<ApiContext, "store" | "repos">, mirror: MirrorRecord, project: ProjectRecord): boolean {
  const available = ctx.store.settings.mirrorAvailable || project.remoteMirrorAvailableOverridden;
  return mirror.enabled && available && ctx.repos.exists(ctx.repos.projectRepo(project.id));
}

/** The project lookup for a request: its `:id`, caller, method, and the moved-project redirect URL. */
export function projectLookup(ctx: Pick<ApiContext, "location">, req: ApiRequest): ProjectLookup {
  return {
    id: req.pathParams.id,
    caller: req.caller,
    method: req.method,
    redirectTo(projectId: number): string {
      // /api/v4/projects/<id>/... with the numeric id in place of the old path.
      const segments = req.url.pathname.split("/");
      const index = segments.indexOf("projects") + 1;
      segments[index] = String(projectId);
      return `${ctx.location().baseUrl}${segments.join("/")}${req.url.search}`;
    },
  };
}
