/**
 * What to do with each pending create, given what GitLab holds: pure, so every rule is tested as a table.
 *
 * - GitLab holds exactly one mirror of the project with the create's credential-free URL, and the state
 *   manages no mirror with that id: the killed run made it; import it.
 * - GitLab holds none: the create never reached GitLab; clear the pending create.
 * - Anything else (two candidates, two pending creates for one target, GitLab not answering) is left as
 *   it is and said: recovery never takes a mirror it cannot tie to exactly one pending create.
 */
import { credentialFreeMaskedUrl, credentialFreeUrl } from "../../provider/mirror/url";
import type { PendingCreate } from "./state";

export interface ListedMirror {
  id: number;
  /** As GitLab returns it: masked, or null for a URL it could not parse. */
  url: string | null;
}

/** A pending create with its project resolved and the project's mirrors listed, or why that failed. */
export type Observed = { pending: PendingCreate; projectId: number; mirrors: ListedMirror[] } | { pending: PendingCreate; failure: string };

export type Decision =
  | { kind: "import"; urn: string; target: string; projectId: number; mirrorId: number; id: string }
  | { kind: "clear"; urn: string; target: string; projectId: number }
  | { kind: "leave"; urn: string; target: string; reason: string };

export function decide(observed: readonly Observed[], managedIds: ReadonlySet<string>): Decision[] {
  const targetKey = (o: Observed & { projectId: number }): string => `${o.projectId} ${credentialFreeUrl(o.pending.url)}`;
  const pendingPerTarget = new Map<string, number>();
  for (const o of observed) if ("projectId" in o) pendingPerTarget.set(targetKey(o), (pendingPerTarget.get(targetKey(o)) ?? 0) + 1);

  return observed.map((o): Decision => {
    const urn = o.pending.urn;
    const target = credentialFreeUrl(o.pending.url);
    if ("failure" in o) return { kind: "leave", urn, target, reason: o.failure };
    const { projectId } = o;
    if ((pendingPerTarget.get(targetKey(o)) ?? 0) > 1) {
      return { kind: "leave", urn, target, reason: `another pending create of project ${projectId} has the same URL; resolve them by hand (pulumi import, or pulumi refresh --import-pending-creates)` };
    }
    const candidates = o.mirrors.filter((m) => m.url !== null && credentialFreeMaskedUrl(m.url) === target);
    const unmanaged = candidates.filter((m) => !managedIds.has(`${projectId}:${m.id}`));
    if (unmanaged.length === 1) {
      const mirrorId = unmanaged[0].id;
      return { kind: "import", urn, target, projectId, mirrorId, id: `${projectId}:${mirrorId}` };
    }
    if (unmanaged.length > 1) {
      const ids = unmanaged.map((m) => `${projectId}:${m.id}`).join(", ");
      return { kind: "leave", urn, target, reason: `GitLab holds ${unmanaged.length} mirrors with this URL (${ids}) that the stack does not manage; import the right one by hand` };
    }
    if (candidates.length > 0) {
      const ids = candidates.map((m) => `${projectId}:${m.id}`).join(", ");
      return { kind: "leave", urn, target, reason: `the only mirror with this URL (${ids}) is already managed by another resource of the stack; clear this create by hand if it is a leftover` };
    }
    return { kind: "clear", urn, target, projectId };
  });
}

/** The resource's name (the URN's last part) and type, for a line a person reads. */
export function resourceLabel(urn: string): string {
  const parts = urn.split("::");
  const type = parts[parts.length - 2] ?? "";
  return `${parts[parts.length - 1]} (${type.split("$").pop()})`;
}

export function describe(decision: Decision): string {
  const who = resourceLabel(decision.urn);
  switch (decision.kind) {
    case "import":
      return `import ${who}: GitLab holds mirror ${decision.id} for ${decision.target}, made by the interrupted run`;
    case "clear":
      return `clear  ${who}: project ${decision.projectId} has no mirror for ${decision.target}; the create never reached GitLab`;
    case "leave":
      return `leave  ${who} (${decision.target}): ${decision.reason}`;
  }
}
