/**
 * What a mirror update pushes, following Gitaly's UpdateRemoteMirror: which refs are pushed
 * (forced or not), which remote refs are deleted, and which have diverged. Pure apart from the
 * injected ancestry question, so each rule is testable on its own.
 */
export interface RefPlanInput {
  local: Map<string, string>;
  remote: Map<string, string>;
  /** Branch names to mirror; empty means every branch. Tags are always mirrored. */
  branchFilter: (branch: string) => boolean;
  keepDivergentRefs: boolean;
  /** `refs/heads/<default>` when it exists locally. */
  defaultRef: string | undefined;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

export interface RefPlan {
  /** Refspecs, default branch first. */
  updates: string[];
  deletions: string[];
  diverged: string[];
}

export const MAX_DIVERGED_REPORTED = 100;

function inScope(ref: string, branchFilter: (branch: string) => boolean): boolean {
  if (ref.startsWith("refs/tags/")) return true;
  return ref.startsWith("refs/heads/") && branchFilter(ref.slice("refs/heads/".length));
}

export async function planRefUpdates(input: RefPlanInput): Promise<RefPlan> {
  const updates: string[] = [];
  const deletions: string[] = [];
  const diverged: string[] = [];
  const localRefs = [...input.local.keys()].filter((ref) => inScope(ref, input.branchFilter)).sort();
  if (input.defaultRef && localRefs.includes(input.defaultRef)) {
    localRefs.splice(localRefs.indexOf(input.defaultRef), 1);
    localRefs.unshift(input.defaultRef);
  }
  for (const ref of localRefs) {
    const localOid = input.local.get(ref)!;
    const remoteOid = input.remote.get(ref);
    if (remoteOid === localOid) continue;
    if (remoteOid === undefined || !input.keepDivergentRefs) {
      updates.push(input.keepDivergentRefs ? `${ref}:${ref}` : `+${ref}:${ref}`);
      continue;
    }
    if (await input.isAncestor(remoteOid, localOid)) updates.push(`${ref}:${ref}`);
    else diverged.push(ref);
  }
  if (!input.keepDivergentRefs && input.defaultRef) {
    const defaultOid = input.local.get(input.defaultRef)!;
    const remoteOnly = [...input.remote.keys()].filter((ref) => !input.local.has(ref) && inScope(ref, input.branchFilter)).sort();
    for (const ref of remoteOnly) {
      // Only refs already merged into the default branch are removed; unmerged work is kept.
      if (await input.isAncestor(input.remote.get(ref)!, defaultOid)) deletions.push(`:${ref}`);
    }
  }
  return { updates, deletions, diverged: diverged.slice(0, MAX_DIVERGED_REPORTED) };
}

export function divergedMessage(refs: string[]): string {
  return `Some refs have diverged and have not been updated on the remote:\n\n${refs.join("\n")}`;
}
