/**
 * One group of the inventory as a Pulumi YAML program of the provider plugin: one ProjectMirrors per project,
 * its targets as entries. Credentials never appear in the program: each named credential is a secret config
 * value (`cred0`, `cred1`, …) holding the URL's userinfo, interpolated into the entry's URL.
 */
import { stringify } from "yaml";
import type { Credentials, InventoryMirror } from "../inventory";
import { projectIdentity } from "../inventory";

export const FLEET_PROJECT = "gitlab-mirrors-fleet";
export const SET_TYPE = "gitlab-mirrors:index:ProjectMirrors";

/** The settings an inventory target carries to its ProjectMirrors entry, as they are named there. */
const ENTRY_SETTINGS = ["enabled", "authMethod", "onlyProtectedBranches", "keepDivergentRefs", "mirrorBranchRegex", "hostKeys", "syncOnApply"] as const;

export interface GroupProgram {
  /** Pulumi.yaml's text. */
  text: string;
  /** Secret stack config: key → the userinfo (`user:password`, percent-encoded as in a URL). */
  secrets: Record<string, string>;
}

/** The resource name of a project's set: its path as GitLab identifies it, so an edit of case is no replacement. */
export function setName(project: string): string {
  return projectIdentity(project);
}

/** `user:password` as a URL carries it (the URL parser's percent-encoding), for a credential. */
export function userinfoOf(credential: Credentials[string]): string {
  const url = new URL("https://host.invalid/");
  url.username = credential.username;
  url.password = credential.password;
  return url.href.slice("https://".length, url.href.lastIndexOf("@"));
}

/** YAML programs interpolate `${…}`: a literal "$" is written "$$". */
function literal(text: string): string {
  return text.replace(/\$/g, "$$$$");
}

export function groupProgram(mirrors: readonly InventoryMirror[], credentials: Credentials, pluginDir: string): GroupProgram {
  const names = [...new Set(mirrors.flatMap((m) => (m.credentials ? [m.credentials] : [])))].sort();
  const keyOf = new Map(names.map((name, i) => [name, `cred${i}`]));
  const secrets: Record<string, string> = {};
  for (const name of names) secrets[keyOf.get(name)!] = userinfoOf(credentials[name]);

  const byProject = new Map<string, InventoryMirror[]>();
  for (const mirror of mirrors) byProject.set(mirror.project, [...(byProject.get(mirror.project) ?? []), mirror]);
  const resources: Record<string, unknown> = {};
  for (const [project, entries] of byProject) {
    resources[setName(project)] = {
      type: SET_TYPE,
      properties: {
        project: /^\d+$/.test(project) ? Number(project) : literal(project),
        mirrors: entries.map((m) => {
          const key = m.credentials ? keyOf.get(m.credentials) : undefined;
          const scheme = m.url.indexOf("://") + 3;
          const url = key ? `${literal(m.url.slice(0, scheme))}\${${key}}@${literal(m.url.slice(scheme))}` : literal(m.url);
          const entry: Record<string, unknown> = { url };
          for (const setting of ENTRY_SETTINGS) {
            const value = m[setting];
            if (value !== undefined) entry[setting] = typeof value === "string" ? literal(value) : Array.isArray(value) ? value.map(literal) : value;
          }
          return entry;
        }),
      },
    };
  }
  const program = {
    name: FLEET_PROJECT,
    runtime: "yaml",
    packages: { "gitlab-mirrors": pluginDir },
    config: Object.fromEntries(names.map((name) => [keyOf.get(name)!, { type: "string", secret: true }])),
    resources,
  };
  return { text: stringify(program, { lineWidth: 0 }), secrets };
}
