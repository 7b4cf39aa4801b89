/**
 * The mirrors the resources of one engine run declare, per project: a URL declared twice in a project
 * (by a RemoteMirror and a ProjectMirrors, or by two sets) would have two owners fighting over one
 * GitLab mirror, since GitLab holds one mirror per URL in a project. The engine checks a run's resources
 * one at a time through the same provider process, so the second declaration fails at preview.
 *
 * A project named by its path in one resource and by its id in another is not recognised as the same
 * (telling them apart needs GitLab, and Check makes no request); nor are resources of different provider
 * instances or stacks.
 */
export interface Declaration {
  /** Where the resource declares it, for the message (`url`, `mirrors[2].url`). */
  path: string;
  /** The URL without credentials. */
  target: string;
}

export interface Conflict extends Declaration {
  /** The URN of the resource that declared it first. */
  holder: string;
}

function projectKey(project: number | string): string {
  return typeof project === "number" ? `id:${project}` : `path:${project.toLowerCase()}`;
}

export class DeclaredTargets {
  private readonly owners = new Map<string, string>();
  private readonly keysOf = new Map<string, string[]>();

  /** Records what `owner` declares (replacing its earlier declaration) and returns what another resource holds. */
  claim(owner: string, project: number | string, declarations: readonly Declaration[]): Conflict[] {
    for (const key of this.keysOf.get(owner) ?? []) if (this.owners.get(key) === owner) this.owners.delete(key);
    const keys: string[] = [];
    const conflicts: Conflict[] = [];
    for (const declaration of declarations) {
      const key = `${projectKey(project)}\n${declaration.target}`;
      const holder = this.owners.get(key);
      if (holder !== undefined && holder !== owner) conflicts.push({ ...declaration, holder });
      else {
        this.owners.set(key, owner);
        keys.push(key);
      }
    }
    this.keysOf.set(owner, keys);
    return conflicts;
  }
}

/** `<type> "<name>"` of a URN, for messages. */
export function describeUrn(urn: string): string {
  const parts = urn.split("::");
  const type = parts[2]?.split("$").pop() ?? "resource";
  return `${type.split(":").pop()} "${parts[3] ?? urn}"`;
}
