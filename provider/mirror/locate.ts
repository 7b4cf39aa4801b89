import { InvalidInputError } from "../errors";
import { quoted } from "../quote";
import { parseResourceId } from "./outputs";

/**
 * The mirror a resource is: its id says so, never the stored outputs. Outputs that name another project
 * or mirror mean a damaged state; acting on either could read, change or delete someone else's mirror,
 * so that is an error and nothing is sent.
 */
export function locate(id: string, recorded: { projectId?: unknown; mirrorId?: unknown } | undefined): { projectId: number; mirrorId: number } {
  const parsed = parseResourceId(id);
  if (parsed === null) {
    throw new InvalidInputError(
      "id",
      `${quoted(id)} is not a RemoteMirror id: it must be <projectId>:<mirrorId>, two positive whole numbers of at most ${Number.MAX_SAFE_INTEGER} (e.g. 42:7)`,
    );
  }
  const stored = { projectId: recorded?.projectId, mirrorId: recorded?.mirrorId };
  const disagreeing = (["projectId", "mirrorId"] as const).filter((key) => stored[key] !== undefined && stored[key] !== null && stored[key] !== parsed[key]);
  if (disagreeing.length > 0) {
    const named = disagreeing.map((key) => `${key} ${typeof stored[key] === "number" ? stored[key] : quoted(stored[key], 40)}`).join(" and ");
    throw new InvalidInputError(
      "id",
      `the resource id ${quoted(id)} names project ${parsed.projectId}, mirror ${parsed.mirrorId}, but the state's outputs hold ${named}: ` +
        "the state is damaged, so nothing was sent to GitLab. Run pulumi refresh after correcting the outputs " +
        "(pulumi stack export / import), or drop the resource with pulumi state delete and import it again",
    );
  }
  return parsed;
}
