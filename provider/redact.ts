/**
 * Secret scrubbing for every error message, error body and `lastError` that leaves provider/.
 * Pure string functions: they never throw, are idempotent (redacting twice changes nothing) and run in
 * time linear in the text, since the text may come from a hostile server.
 */

const MASK = "*****";

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
// Where a URL's authority ends in free text: whitespace, control characters and the path/query/fragment
// delimiters. Not quotes or brackets: a password may hold them (GitLab and Check accept `Sp(ecial` or
// `a"b`), and ending there would leave the rest of the password, up to the "@", unmasked. Text that
// quotes a URL and then an "@" on the same run is masked a little too far, never too little.
const AUTHORITY_END = /[\s\u0000-\u001f\u007f/?#]/;

/** Whether the "#" at `index` opens an HTML character reference (`&#39;`, `&#x27;`), not a fragment. */
function isCharacterReference(text: string, index: number): boolean {
  return index > 0 && text[index - 1] === "&" && /^#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});/.test(text.slice(index, index + 10));
}

/** Whether a URL's authority (its userinfo included) ends at `index` of free text. */
export function isAuthorityEnd(text: string, index: number): boolean {
  // AUTHORITY_END by character code: this runs once per character of text that may be megabytes long.
  const code = text.charCodeAt(index);
  if (code === 0x23) return !isCharacterReference(text, index); // "#"
  if (code < 0x80) return code <= 0x20 || code === 0x7f || code === 0x2f || code === 0x3f; // controls, space, "/", "?"
  return AUTHORITY_END.test(text[index]); // Unicode spaces
}

/**
 * Whether a URL scheme ends just before `colon` (the ":" of "://"). Scheme characters exclude ":" and
 * "/", so this never reads back past the previous "://".
 */
function hasScheme(text: string, colon: number): boolean {
  let start = colon;
  while (start > 0 && SCHEME_CHAR.test(text[start - 1])) start -= 1;
  // A scheme starts with a letter, at a word boundary (as `\b[A-Za-z]` would find it).
  while (start < colon && !(LETTER.test(text[start]) && (start === 0 || !WORD_CHAR.test(text[start - 1])))) start += 1;
  return start < colon;
}

/**
 * Masks credentials embedded in URLs anywhere in free text, the way GitLab masks a mirror URL:
 * `https://user:pass@h` -> `https://*****:*****@h`, `https://token@h` -> `https://*****@h`,
 * and the user name `git` is kept (`ssh://git@h` unchanged, `https://git:pw@h` -> `https://git:*****@h`).
 * The userinfo runs up to the LAST "@" before the authority ends, so a password holding a raw "@" is
 * masked whole.
 *
 * A scanner rather than a regular expression: a pattern that tries a scheme at every position
 * backtracks quadratically on text such as `a.a.a.…`. Each "://" is visited once, its scheme read
 * backwards and its authority forwards, and no character is read forwards twice.
 */
export function redactUrlCredentials(text: string): string {
  let out = "";
  let copied = 0; // text before this index is already in `out`
  let from = 0; // where to look for the next "://"
  for (let colon = text.indexOf("://"); colon !== -1; colon = text.indexOf("://", from)) {
    const authorityStart = colon + 3;
    from = authorityStart;
    if (!hasScheme(text, colon)) continue;
    let end = authorityStart;
    let lastAt = -1;
    while (end < text.length && !isAuthorityEnd(text, end)) {
      if (text[end] === "@") lastAt = end;
      end += 1;
    }
    // The next "://" may begin with the ":" just before the "/" that ended this authority.
    from = Math.max(authorityStart, end - 1);
    if (lastAt === -1) continue;
    out += text.slice(copied, authorityStart) + maskUserinfo(text.slice(authorityStart, lastAt)) + "@";
    copied = lastAt + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function maskUserinfo(userinfo: string): string {
  if (userinfo === "") return "";
  const colon = userinfo.indexOf(":");
  const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const maskedUser = user === "git" ? "git" : MASK;
  return colon === -1 ? maskedUser : `${maskedUser}:${MASK}`;
}

const HTML_ESCAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/&/g, "&amp;"],
  [/</g, "&lt;"],
  [/>/g, "&gt;"],
  [/"/g, "&quot;"],
];
// Ruby's ERB and CGI write "'" as &#39;, other servers as &#x27; or &apos;.
const APOSTROPHE_ESCAPES = ["&#39;", "&#x27;", "&apos;"];

/**
 * The ways a secret may come back inside text a server wrote: as given, percent-encoded (a URL or a
 * query string), HTML-escaped (an error page) and JSON-escaped (a JSON document quoted as text).
 */
function secretForms(secret: string): string[] {
  const html = HTML_ESCAPES.reduce((text, [pattern, escape]) => text.replace(pattern, escape), secret);
  return [
    secret,
    encodeURIComponent(secret),
    ...APOSTROPHE_ESCAPES.map((escape) => html.replace(/'/g, escape)),
    JSON.stringify(secret).slice(1, -1),
  ];
}

/**
 * A function that replaces every occurrence of each non-empty secret, in each form a server may echo it
 * (see `secretForms`), with `*****`. Longer forms are replaced first so a secret that contains another is
 * masked whole. The forms are worked out once: a set's read scrubs every mirror with the same secrets.
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret === "") continue;
    for (const form of secretForms(secret)) forms.add(form);
  }
  const longestFirst = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const form of longestFirst) result = result.split(form).join(MASK);
    return result;
  };
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secretRedactor(secrets)(text);
}

/** Both redactions, for text that may hold a URL with credentials and a known token. */
export function redactAll(text: string, secrets: readonly string[] = []): string {
  return redactUrlCredentials(redactSecrets(text, secrets));
}

/** `redactAll` with its secrets prepared once, for many texts. */
export function allRedactor(secrets: readonly string[]): (text: string) => string {
  const redactKnown = secretRedactor(secrets);
  return (text) => redactUrlCredentials(redactKnown(text));
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

/**
 * The secrets a mirror URL carries, as GitLab splits its userinfo (everything between "://" and the
 * last "@"; the user before the first ":"): the password, or a token given as the user name (GitLab
 * masks every user but `git`). Each in the form written and decoded, since either may be echoed.
 */
export function urlCredentialSecrets(url: string): string[] {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(.*)@/s.exec(url);
  if (match === null) return [];
  const userinfo = match[1];
  const colon = userinfo.indexOf(":");
  const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
  const password = colon === -1 ? "" : userinfo.slice(colon + 1);
  const secrets = password !== "" ? [password] : user !== "" && user !== "git" ? [user] : [];
  return [...new Set(secrets.flatMap((secret) => [secret, safeDecode(secret)]))].filter((s) => s.length > 0);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
