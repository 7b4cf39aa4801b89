import { z } from "zod";
import type { RemoteMirror } from "../gitlab";
import { redactAll } from "../redact";
import type { MirrorContext } from "./context";
import type { ReportedInputField } from "./fields";
import { reportedSettings } from "./observed";
import { resourceId } from "./outputs";
import { resolveProjectId } from "./project";

const described = <T extends z.ZodType>(schema: T, description: string): T => schema.meta({ description }) as T;

/**
 * A mirror as discovery (`getRemoteMirrors`) reports it, credentials masked by GitLab, then scrubbed
 * again: declared once, for the TypeScript type below and for the plugin's schema (provider/plugin/schema.ts
 * builds the `RemoteMirrorInfo` type from it, optional fields not required), so the two cannot drift.
 */
export const mirrorInfoSchema = z.object({
  id: described(z.number().int(), "GitLab's id of the mirror within the project."),
  url: described(z.string(), "The URL as GitLab shows it, credentials masked."),
  enabled: described(z.boolean(), "Whether GitLab pushes to the mirror."),
  authMethod: described(z.string(), "`password` or `ssh_public_key`."),
  onlyProtectedBranches: described(z.boolean(), "Whether only protected branches are mirrored."),
  keepDivergentRefs: described(z.boolean(), "Whether diverged refs on the target are left alone."),
  mirrorBranchRegex: described(z.string().optional(), "The branch filter, where GitLab reports one."),
  updateStatus: described(z.string(), "GitLab's `update_status`."),
  lastError: described(z.string().optional(), "GitLab's last push error, credentials masked."),
  lastUpdateAt: described(z.string().optional(), "When the last push ended."),
  lastSuccessfulUpdateAt: described(z.string().optional(), "When the last successful push ended."),
  /** What `pulumi import` takes: `<projectId>:<mirrorId>`. */
  resourceId: described(z.string(), "The id to import the mirror with: `<projectId>:<mirrorId>`."),
});

export type MirrorInfo = z.infer<typeof mirrorInfoSchema>;

// Every setting GitLab reports (the field table's `reported` inputs) is part of what discovery shows.
const infoShowsEveryReportedInput: [ReportedInputField] extends [keyof MirrorInfo] ? true : ReportedInputField = true;
void infoShowsEveryReportedInput;

/** Every mirror of a project, all pages (GET /projects/:id/remote_mirrors), oldest first. */
export async function listMirrors(project: number | string, ctx: MirrorContext): Promise<{ projectId: number; mirrors: MirrorInfo[] }> {
  const projectId = await resolveProjectId(ctx, project);
  const mirrors = await ctx.client.remoteMirrors.list(projectId);
  // GitLab masks URLs and errors itself; scrub again in case it did not (and of our token).
  const scrub = (text: string) => redactAll(text, [ctx.token]);
  return { projectId, mirrors: mirrors.sort((a, b) => a.id - b.id).map((m) => mirrorInfoOf(projectId, m, scrub)) };
}

export function mirrorInfoOf(projectId: number, mirror: RemoteMirror, scrub: (text: string) => string): MirrorInfo {
  const info: MirrorInfo = {
    id: mirror.id,
    url: mirror.url === null ? "" : scrub(mirror.url),
    ...reportedSettings(mirror),
    // Discovery shows the method GitLab names, also one this provider does not know.
    authMethod: mirror.authMethod,
    updateStatus: mirror.updateStatus,
    resourceId: resourceId(projectId, mirror.id),
  };
  if (mirror.lastError !== null) info.lastError = scrub(mirror.lastError);
  if (mirror.lastUpdateAt !== null) info.lastUpdateAt = mirror.lastUpdateAt;
  if (mirror.lastSuccessfulUpdateAt !== null) info.lastSuccessfulUpdateAt = mirror.lastSuccessfulUpdateAt;
  return info;
}
