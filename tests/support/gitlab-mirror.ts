import type { RemoteMirror } from "../../provider/gitlab";

/** A mirror as GitLab's API reports it (credentials masked, never pushed); a test overrides what it varies. */
export function gitlabMirror(overrides: Partial<RemoteMirror> = {}): RemoteMirror {
  return {
    id: 7,
    enabled: true,
    url: "https://*****:*****@example.com/group/app.git",
    updateStatus: "finished",
    lastUpdateAt: null,
    lastUpdateStartedAt: null,
    lastSuccessfulUpdateAt: null,
    lastError: null,
    onlyProtectedBranches: true,
    keepDivergentRefs: null,
    authMethod: "password",
    hostKeys: [],
    ...overrides,
  };
}
