/**
 * GitLab's error bodies come in four shapes (reference §1.0, §5.5); this flattens any of them to one line:
 *   {"message":"404 Not found"}                      -> 404 Not found
 *   {"message":{"url":["is blocked"],"base":["x"]}}  -> url is blocked; x
 *   {"error":"url is missing"}                       -> url is missing
 *   {"error":"insufficient_scope","error_description":"..."} -> insufficient_scope: ...
 *   text/plain "Retry later\n"                       -> Retry later
 */
const MAX_TEXT = 500;

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

function truncate(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
}

export function flattenGitLabMessage(body: unknown): string {
  if (typeof body === "string") return truncate(body);
  if (body === null || body === undefined) return "";
  if (typeof body !== "object" || Array.isArray(body)) return truncate(JSON.stringify(body));
  const record = body as Record<string, unknown>;
  const { message, error } = record;
  if (typeof message === "string") return truncate(message);
  if (message !== null && typeof message === "object" && !Array.isArray(message)) {
    return truncate(flattenMessageHash(message as Record<string, unknown>));
  }
  if (typeof error === "string") {
    const description = record.error_description;
    return truncate(typeof description === "string" && description !== "" ? `${error}: ${description}` : error);
  }
  return truncate(JSON.stringify(body));
}
