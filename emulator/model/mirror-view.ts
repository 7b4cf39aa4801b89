/** The RemoteMirror API entity, keys in GitLab's exposure order (lib/api/entities/remote_mirror.rb + EE). */
import { hostKeyFingerprints } from "./host-keys";
import { maskedUrl } from "./mirror-url";
import type { MirrorRecord } from "./types";
import type { Edition } from "../seed";

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function authMethodOf(mirror: MirrorRecord): string {
  return mirror.credentials.authMethod || "password";
}

export function mirrorView(mirror: MirrorRecord, enabled: boolean, edition: Edition): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: mirror.id,
    enabled,
    url: maskedUrl(mirror.url, mirror.credentials),
    update_status: mirror.updateStatus,
    last_update_at: iso(mirror.lastUpdateAt),
    last_update_started_at: iso(mirror.lastUpdateStartedAt),
    last_successful_update_at: iso(mirror.lastSuccessfulUpdateAt),
    last_error: mirror.lastError,
    only_protected_branches: mirror.onlyProtectedBranches,
    keep_divergent_refs: mirror.keepDivergentRefs,
    auth_method: authMethodOf(mirror),
    host_keys: hostKeyFingerprints(mirror.credentials.sshKnownHosts),
  };
  if (edition === "ee") view.mirror_branch_regex = mirror.mirrorBranchRegex;
  return view;
}
