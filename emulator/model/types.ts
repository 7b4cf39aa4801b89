/** The records the store keeps. Times are epoch milliseconds from the injected clock. */
import type { EmulatorSettings, Role, TokenSeed, Visibility, TargetSeed } from "../seed";

export type UpdateStatus = "none" | "started" | "finished" | "failed" | "to_retry";
export type AuthMethod = "password" | "ssh_public_key";

export interface UserRecord {
  username: string;
  admin: boolean;
  tokens: TokenSeed[];
}

export interface ProjectRecord {
  id: number;
  path: string;
  visibility: Visibility;
  members: Record<string, Role>;
  protectedBranches: string[];
  defaultBranch: string;
  previousPaths: string[];
  /** Set when an admin saves a mirror while the instance setting `mirror_available` is off. */
  remoteMirrorAvailableOverridden: boolean;
  createdAt: number;
}

/** What GitLab keeps in the encrypted `credentials` column: never part of the stored URL. */
export interface MirrorCredentials {
  user?: string;
  password?: string;
  authMethod?: string;
  sshPrivateKey?: string;
  sshPublicKey?: string;
  sshKnownHosts?: string;
}

export interface MirrorRecord {
  id: number;
  projectId: number;
  /** The stored flag; the API's `enabled` is computed from it (see mirrorView). */
  enabled: boolean;
  /** Credential-free URL. */
  url: string;
  credentials: MirrorCredentials;
  updateStatus: UpdateStatus;
  lastUpdateAt: number | null;
  lastUpdateStartedAt: number | null;
  lastSuccessfulUpdateAt: number | null;
  lastError: string | null;
  onlyProtectedBranches: boolean;
  keepDivergentRefs: boolean | null;
  mirrorBranchRegex: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoreState {
  version: 1;
  settings: Required<EmulatorSettings>;
  users: UserRecord[];
  projects: ProjectRecord[];
  targets: TargetSeed[];
  mirrors: MirrorRecord[];
  nextMirrorId: number;
}
