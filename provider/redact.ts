/**
 * Secret scrubbing for every error message, error body and `lastError` that leaves provider/.
 * Pure string functions: they never throw and are idempotent (redacting twice changes nothing).
 */

const MASK = "*****";

// scheme://userinfo@ where userinfo runs up to the LAST "@" before the host, so a password holding a raw
// "@" is masked whole. Stops at whitespace, quotes, brackets and the path/query/fragment delimiters.
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#"'<>()\[\]{}]*)@/g;

/**
 * Masks credentials embedded in URLs anywhere in free text, the way GitLab masks a mirror URL:
 * `https://user:pass@h` -> `https://*****:*****@h`, `https://token@h` -> `https://*****@h`,
 * and the user name `git` is kept (`ssh://git@h` unchanged, `https://git:pw@h` -> `https://git:*****@h`).
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
    if (userinfo === "") return `${scheme}@`;
    const colon = userinfo.indexOf(":");
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    const maskedUser = user === "git" ? "git" : MASK;
    return colon === -1 ? `${scheme}${maskedUser}@` : `${scheme}${maskedUser}:${MASK}@`;
  });
}

/**
 * Replaces every occurrence of each non-empty secret, and of its percent-encoded form (how a token
 * appears inside a URL or a query string), with `*****`. Longer secrets are replaced first so a secret
 * that contains another is masked whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret === "") continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
  }
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join(MASK);
  }
  return result;
}

/** Both redactions, for text that may hold a URL with credentials and a known token. */
export function redactAll(text: string, secrets: readonly string[] = []): string {
  return redactUrlCredentials(redactSecrets(text, secrets));
}

/**
 * Redacts every string inside a parsed JSON value (object keys included), returning a new value.
 * Used on error bodies, since GitLab may echo a submitted URL or token back.
 */
export function redactValue(value: unknown, secrets: readonly string[] = []): unknown {
  if (typeof value === "string") return redactAll(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[redactAll(key, secrets)] = redactValue(item, secrets);
    }
    return out;
  }
  return value;
}
