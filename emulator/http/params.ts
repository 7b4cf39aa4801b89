/**
 * Request parameters as Grape sees them: query string and body (JSON, form or multipart)
 * merged, and GitLab's coercions for Boolean, String, Integer and Array[String].
 */
import type { IncomingMessage } from "node:http";

export type Params = Record<string, unknown>;

export class BodyParseError extends Error {
  override readonly name = "BodyParseError";
  readonly code = "EMU_ERR_BODY_PARSE";
}

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyParseError("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Adds `key=value` with Rack's bracket conventions: `a[]=1&a[]=2` and `a[0]=1` become arrays. */
function addFormField(target: Params, key: string, value: string): void {
  const arrayMatch = /^(.+?)\[(\d*)\]$/.exec(key);
  if (arrayMatch) {
    const name = arrayMatch[1];
    const existing = target[name];
    const list = Array.isArray(existing) ? existing : [];
    list.push(value);
    target[name] = list;
    return;
  }
  target[key] = value;
}

export function parseQuery(search: URLSearchParams): Params {
  const out: Params = {};
  for (const [key, value] of search) addFormField(out, key, value);
  return out;
}

function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const text = body.toString("utf8");
  for (const part of text.split(`--${boundary}`)) {
    const trimmed = part.replace(/^\r\n/, "");
    if (trimmed === "" || trimmed.startsWith("--")) continue;
    const split = trimmed.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const headers = trimmed.slice(0, split);
    const value = trimmed.slice(split + 4).replace(/\r\n$/, "");
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) addFormField(out, name, value);
  }
  return out;
}

export function parseBody(contentType: string | undefined, body: Buffer): Params {
  if (body.length === 0) return {};
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new BodyParseError("body is not valid JSON");
    }
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Params) : {};
  }
  if (type === "multipart/form-data") {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
    return boundary ? parseMultipart(body, boundary) : {};
  }
  if (type === "application/x-www-form-urlencoded" || type === "") {
    return parseQuery(new URLSearchParams(body.toString("utf8")));
  }
  return {};
}

const TRUE_VALUES = new Set(["true", "1", "t", "y", "yes", "on"]);
const FALSE_VALUES = new Set(["false", "0", "f", "n", "no", "off"]);

export type Coerced<T> = { ok: true; value: T } | { ok: false };

/** Grape Boolean (dry-types Params::Bool): empty string and null become null. */
export function coerceBoolean(value: unknown): Coerced<boolean | null> {
  if (value === null || value === "") return { ok: true, value: null };
  if (typeof value === "boolean") return { ok: true, value };
  if (typeof value === "number") {
    if (value === 1) return { ok: true, value: true };
    if (value === 0) return { ok: true, value: false };
    return { ok: false };
  }
  if (typeof value === "string") {
    const lower = value.toLowerCase();
    if (TRUE_VALUES.has(lower)) return { ok: true, value: true };
    if (FALSE_VALUES.has(lower)) return { ok: true, value: false };
  }
  return { ok: false };
}

export function coerceString(value: unknown): Coerced<string | null> {
  if (value === null) return { ok: true, value: null };
  if (typeof value === "string") return { ok: true, value };
  if (typeof value === "number" || typeof value === "boolean") return { ok: true, value: String(value) };
  return { ok: false };
}

export function coerceInteger(value: unknown): Coerced<number | null> {
  if (value === null || value === "") return { ok: true, value: null };
  if (typeof value === "number" && Number.isInteger(value)) return { ok: true, value };
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return { ok: true, value: Number(value.trim()) };
  return { ok: false };
}

/** Array[String]; null becomes [] (coerce_nil_params_to_array!). */
export function coerceStringArray(value: unknown): Coerced<string[]> {
  if (value === null) return { ok: true, value: [] };
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return { ok: true, value: value.map(String) };
  }
  return { ok: false };
}

export function has(params: Params, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(params, key);
}

/** Ruby's CGI.escape: unreserved characters kept, space as `+`, every other UTF-8 byte as %XX. */
export function cgiEscape(value: string): string {
  return Buffer.from(value, "utf8")
    .toString("latin1")
    .replace(/[^A-Za-z0-9_.~ -]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)
    .replace(/ /g, "+");
}

function valueToQuery(value: unknown, key: string): string | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((item) => valueToQuery(item, `${key}[]`)).filter((pair) => pair !== undefined).join("&");
  }
  if (value !== null && typeof value === "object") {
    const nested = Object.entries(value as Params);
    return nested.length === 0 ? undefined : toQuery(value as Params, key);
  }
  return `${cgiEscape(key)}=${cgiEscape(value === null || value === undefined ? "" : String(value))}`;
}

/** Rails' Hash#to_query: `key=value` pairs, nested keys in brackets, sorted, joined with `&`. */
export function toQuery(params: Params, namespace?: string): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    const pair = valueToQuery(value, namespace === undefined ? key : `${namespace}[${key}]`);
    if (pair !== undefined) pairs.push(pair);
  }
  if (!(namespace ?? "").includes("[]")) pairs.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return pairs.join("&");
}
