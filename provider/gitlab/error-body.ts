/**
 * GitLab's error bodies come in four shapes (reference §1.0, §5.5); this flattens any of them to one line:
 *   {"message":"404 Not found"}                      -> 404 Not found
 *   {"message":{"url":["is blocked"],"base":["x"]}}  -> url is blocked; x
 *   {"error":"url is missing"}                       -> url is missing
 *   {"error":"insufficient_scope","error_description":"..."} -> insufficient_scope: ...
 *   text/plain "Retry later\n"                       -> Retry later
 */
import { isAuthorityEnd, redactSecrets, redactUrlCredentials } from "../redact";

const MAX_TEXT = 500;
// Room past MAX_TEXT for URL masking to shrink the text: masking may pull later characters forward.
const WINDOW = MAX_TEXT + 4096;

function flattenMessageHash(hash: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [attr, messages] of Object.entries(hash)) {
    const list = Array.isArray(messages) ? messages : [messages];
    for (const message of list) {
      const text = typeof message === "string" ? message : JSON.stringify(message);
      // ActiveModel's :base errors are whole sentences; attribute errors read "url is blocked: ...".
      parts.push(attr === "base" ? text : `${attr} ${text}`);
    }
  }
  return parts.join("; ");
}

/** The message of any of GitLab's error shapes, whole (see gitlabMessageOf for what is shown). */
export function flattenGitLabMessage(body: unknown): string {
  if (typeof body === "string") return body.trim();
  if (body === null || body === undefined) return "";
  if (typeof body !== "object" || Array.isArray(body)) return JSON.stringify(body);
  const record = body as Record<string, unknown>;
  const { message, error } = record;
  if (typeof message === "string") return message.trim();
  if (message !== null && typeof message === "object" && !Array.isArray(message)) {
    return flattenMessageHash(message as Record<string, unknown>);
  }
  if (typeof error === "string") {
    const description = record.error_description;
    return typeof description === "string" && description !== "" ? `${error}: ${description}` : error;
  }
  return JSON.stringify(body);
}

/**
 * GitLab's message as an error shows it: one line of at most MAX_TEXT characters, with the known
 * secrets and URL credentials masked. Known secrets are masked in the whole text (a plain search), URL
 * credentials only in a window cut first, so a huge body costs no more than a small one. A URL cut at
 * the window's edge loses its unterminated authority, so a half-cut password is dropped, never shown.
 */
export function gitlabMessageOf(body: unknown, secrets: readonly string[]): string {
  const whole = redactSecrets(flattenGitLabMessage(body), secrets);
  let window = whole.slice(0, WINDOW);
  if (whole.length > WINDOW) {
    // A URL whose authority runs to the cut: keep its scheme, drop the rest.
    const lastScheme = window.lastIndexOf("://");
    let tail = lastScheme === -1 ? -1 : lastScheme + 3;
    while (tail !== -1 && tail < window.length) tail = isAuthorityEnd(window, tail) ? -1 : tail + 1;
    if (tail !== -1) window = window.slice(0, lastScheme + 3);
  }
  const text = redactUrlCredentials(window).trim();
  return text.length > MAX_TEXT || whole.length > WINDOW ? `${text.slice(0, MAX_TEXT)}…` : text;
}
