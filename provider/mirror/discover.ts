import type { RemoteMirror } from "../gitlab";
import { redactAll } from "../redact";
import type { MirrorContext } from "./context";
import { resourceId } from "./outputs";
import { resolveProjectId } from "./project";

/** A mirror as GitLab reports it, for discovery (credentials masked by GitLab, then scrubbed again). */
export interface MirrorInfo {
  id: number;
  url: string;
  enabled: boolean;
  authMethod: string;
  onlyProtectedBranches: boolean;
  keepDivergentRefs: boolean;
  mirrorBranchRegex?: string;
  updateStatus: string;
  lastError?: string;
  lastUpdateAt?: string;
  lastSuccessfulUpdateAt?: string;
  /** What `pulumi import` takes: `<projectId>:<mirrorId>`. */
  resourceId: string;
}

/** Every mirror of a project, all pages (GET /projects/:id/remote_mirrors), oldest first. */
export async function listMirrors(project: number | string, ctx: MirrorContext): Promise<{ projectId: number; mirrors: MirrorInfo[] }> {
  const projectId = await resolveProjectId(ctx, project);
  const mirrors = await ctx.client.remoteMirrors.list(projectId);
  // GitLab masks URLs and errors itself; scrub again in case it did not (and of our token).
  const scrub = (text: string) => redactAll(text, [ctx.token]);
  return { projectId, mirrors: mirrors.sort((a, b) => a.id - b.id).map((m) => infoOf(projectId, m, scrub)) };
}

function infoOf(projectId: number, mirror: RemoteMirror, scrub: (text: string) => string): MirrorInfo {
  const info: MirrorInfo = {
    id: mirror.id,
    url: mirror.url === null ? "" : scrub(mirror.url),
    enabled: mirror.enabled,
    authMethod: mirror.authMethod,
    onlyProtectedBranches: mirror.onlyProtectedBranches,
    keepDivergentRefs: mirror.keepDivergentRefs ?? false,
    updateStatus: mirror.updateStatus,
    resourceId: resourceId(projectId, mirror.id),
  };
  if (typeof mirror.mirrorBranchRegex === "string" && mirror.mirrorBranchRegex !== "") info.mirrorBranchRegex = mirror.mirrorBranchRegex;
  if (mirror.lastError !== null) info.lastError = scrub(mirror.lastError);
  if (mirror.lastUpdateAt !== null) info.lastUpdateAt = mirror.lastUpdateAt;
  if (mirror.lastSuccessfulUpdateAt !== null) info.lastSuccessfulUpdateAt = mirror.lastSuccessfulUpdateAt;
  return info;
}
