/**
 * The inventory's identity rules, which are GitLab's: when two entries are the same project or the same
 * mirror target for GitLab, they are the same for the inventory too, and a name GitLab would refuse is
 * refused here, with its place in the file, before any stack runs. See docs/inventory.md.
 */
import { parseMirrorUrl } from "../../provider/mirror/url";

/** One path segment of a GitLab group or project: letters, digits, "_", "-", "."; not starting with "-", not ending with "."; not "." or "..". */
const SEGMENT = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}[A-Za-z0-9_-]|[A-Za-z0-9_])$/;
const MAX_SEGMENTS = 21;
const MAX_PATH_LENGTH = 1024;

/** Why a project key is not a project GitLab could have, or null. Keys are full paths (`group/sub/app`) or numeric ids. */
export function projectKeyProblem(key: string): string | null {
  if (/^[1-9][0-9]{0,15}$/.test(key)) return Number.isSafeInteger(Number(key)) ? null : "is an id too large to be a GitLab project id";
  const shown = key.length > 80 ? "this path" : JSON.stringify(key);
  if (key === "") return "is empty; write the project's full path (group/project) or its numeric id";
  if (key.length > MAX_PATH_LENGTH) return `is longer than GitLab's ${MAX_PATH_LENGTH} characters for a full path`;
  const segments = key.split("/");
  if (segments.length < 2) return `${shown} has no group: write the project's full path (group/project), as GitLab shows it`;
  if (segments.length > MAX_SEGMENTS) return `${shown} nests deeper than GitLab allows (${MAX_SEGMENTS} parts)`;
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) {
    const part = bad === "" ? "an empty part" : bad.length > 40 ? "a part" : JSON.stringify(bad);
    return `${shown} has ${part} that GitLab does not allow in a path: each part holds letters, digits, '_', '-', '.', does not start with '-' or end with '.', and is not '.' or '..'`;
  }
  const last = segments[segments.length - 1];
  if (/\.(git|atom)$/i.test(last)) return `${shown} ends in .git or .atom, which GitLab does not allow in a project path`;
  return null;
}

/** The project's identity: GitLab finds a project by its path whatever the case (`Platform/API` is `platform/api`). */
export function projectIdentity(key: string): string {
  return key.toLowerCase();
}

/**
 * A target's identity: its credential-free URL, split the way GitLab splits userinfo (at the LAST "@"), with
 * the host lowercased and the path as written (GitLab stores `…/Repo.git` and `…/repo.git` as two mirrors).
 * Undefined when the URL does not parse (the resource's own check then says why).
 */
export function targetIdentity(url: string): string | undefined {
  const parsed = parseMirrorUrl(url);
  return parsed.ok ? parsed.url.credentialFree : undefined;
}

/**
 * Why a target URL written in the inventory holds a secret, or null. The inventory is not secret (its URLs
 * become resource names and log lines), so it may hold no password, and no user name but `git` (GitLab masks
 * every other user name, and a token is often given as one).
 */
export function inlineCredentialProblem(url: string): string | null {
  const parsed = parseMirrorUrl(url);
  // What does not parse is reported by the resource's own check, which never echoes it.
  const at = url.lastIndexOf("@");
  const start = url.indexOf("://");
  if (!parsed.ok) return start >= 0 && at > start ? "holds credentials before its last '@'; the inventory is not secret: name a credential instead" : null;
  if (parsed.url.password !== "") return "holds a password; the inventory is not secret: name a credential (`credentials: <name>`) and keep its value in the credentials file (or the stack's `inventory:credentials` secret)";
  if (parsed.url.username !== "" && parsed.url.username !== "git") {
    return "holds a user name, which may be a token; the inventory is not secret: name a credential (`credentials: <name>`) instead (only the user 'git' of an ssh:// URL may be written)";
  }
  return null;
}
