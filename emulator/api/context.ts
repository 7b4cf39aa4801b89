/** What the API handlers need from the running emulator. */
import type { Clock } from "../clock";
import type { Repositories } from "../git/repositories";
import type { SshKeyPair } from "../model/sshKey";
import type { Store } from "../store";
import type { ProjectRecord, MirrorRecord } from "../model/types";

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
}

/** RemoteMirror#enabled: the stored flag, mirroring available, repository present. */
export function computedEnabled(ctx: Pick<ApiContext, "store" | "repos">, mirror: MirrorRecord, project: ProjectRecord): boolean {
  const available = ctx.store.settings.mirrorAvailable || project.remoteMirrorAvailableOverridden;
  return mirror.enabled && available && ctx.repos.exists(ctx.repos.projectRepo(project.id));
}
