/**
 * What a ProjectMirrors resource records: per declared mirror, what GitLab reports of it, and the
 * project's other mirrors. The state says what GitLab holds, so a step that failed halfway records exactly
 * what it did (the engine keeps the new inputs with a partial state) and the next diff sees what is left.
 */
import type { RemoteMirror } from "../gitlab";
import type { AuthMethod } from "../mirror";
import { reportedSettings, type ReportedSettings } from "../mirror/observed";
import { credentialFreeMaskedUrl } from "../mirror/url";

/**
 * Work a failed step left undone on a mirror GitLab still holds: `replace` (new credentials: the mirror is
 * to be deleted and created again), `sync` (a requested sync that did not complete).
 */
export type PendingWork = "replace" | "sync";

/** GitLab's settings of the mirror (`enabled`, `authMethod`, ...) come from the one rule in provider/mirror/observed.ts. */
export interface EntryState extends ReportedSettings {
  /** The URL without credentials: the entry's identity. */
  target: string;
  mirrorId: number;
  maskedUrl: string | null;
  authMethod: AuthMethod;
  updateStatus: string;
  lastError?: string;
  lastUpdateAt?: string;
  lastUpdateStartedAt?: string;
  lastSuccessfulUpdateAt?: string;
  publicKey?: string;
  hostKeyFingerprints?: string[];
  pending?: PendingWork;
}

/** A mirror of the project that no entry declares. */
export interface UnmanagedMirror {
  id: number;
  /** As GitLab shows it, credentials masked. */
  url: string | null;
  enabled: boolean;
}

export interface ProjectMirrorsState {
  projectId: number;
  mirrors: EntryState[];
  unmanagedMirrors: UnmanagedMirror[];
}

/** A mirror as the state records it. Nulls and empty lists are left out: each byte is rewritten at every checkpoint. */
export function entryStateOf(mirror: RemoteMirror, target: string, scrub: (text: string) => string, publicKey?: string): EntryState {
  const settings = reportedSettings(mirror);
  const state: EntryState = {
    target,
    mirrorId: mirror.id,
    maskedUrl: mirror.url === null ? null : scrub(mirror.url),
    ...settings,
    // An auth method this provider does not know is recorded as the default.
    authMethod: settings.authMethod ?? "password",
    updateStatus: mirror.updateStatus,
  };
  if (mirror.lastError !== null) state.lastError = scrub(mirror.lastError);
  if (mirror.lastUpdateAt !== null) state.lastUpdateAt = mirror.lastUpdateAt;
  if (mirror.lastUpdateStartedAt !== null) state.lastUpdateStartedAt = mirror.lastUpdateStartedAt;
  if (mirror.lastSuccessfulUpdateAt !== null) state.lastSuccessfulUpdateAt = mirror.lastSuccessfulUpdateAt;
  if (publicKey !== undefined) state.publicKey = publicKey;
  if (mirror.hostKeys.length > 0) state.hostKeyFingerprints = mirror.hostKeys.map((k) => k.fingerprintSha256);
  return state;
}

export function unmanagedOf(mirror: RemoteMirror, scrub: (text: string) => string): UnmanagedMirror {
  return { id: mirror.id, url: mirror.url === null ? null : scrub(mirror.url), enabled: mirror.enabled };
}

/** The target (credential-free URL) of a mirror GitLab reports, or null when GitLab returned no URL. */
export function targetOf(mirror: RemoteMirror): string | null {
  return credentialFreeMaskedUrl(mirror.url);
}

/** The recorded state from the engine's plain values; whatever does not fit is left out, never guessed. */
export function decodeState(raw: Record<string, unknown>): ProjectMirrorsState | undefined {
  if (typeof raw.projectId !== "number") return undefined;
  const mirrors = Array.isArray(raw.mirrors)
    ? raw.mirrors.filter((m): m is EntryState => typeof m === "object" && m !== null && typeof (m as EntryState).mirrorId === "number" && typeof (m as EntryState).target === "string")
    : [];
  const unmanaged = Array.isArray(raw.unmanagedMirrors)
    ? raw.unmanagedMirrors.filter((m): m is UnmanagedMirror => typeof m === "object" && m !== null && typeof (m as UnmanagedMirror).id === "number")
    : [];
  return { projectId: raw.projectId, mirrors, unmanagedMirrors: unmanaged };
}
