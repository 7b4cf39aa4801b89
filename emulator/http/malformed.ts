/**
 * GitLab's HandleMalformedStrings middleware, which runs before everything else (the API and git
 * over HTTP alike): a NUL byte or invalid UTF-8 in the unescaped path, in the credentials or in a
 * parameter, or an invalid %-escape, is answered `400 Bad Request` (text/plain) before any route,
 * authentication or git process sees it.
 */
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { Params } from "./params";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Rack::Utils.unescape: `+` is a space, `%` must be followed by two hex digits. Undefined when invalid. */
export function unescapeBytes(text: string): Buffer | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  const bytes: number[] = [];
  const raw = Buffer.from(text.replace(/\+/g, " "), "utf8");
  for (let i = 0; i < raw.length; i += 1) {
    if (raw[i] === 0x25) {
      bytes.push(parseInt(raw.subarray(i + 1, i + 3).toString("latin1"), 16));
      i += 2;
    } else {
      bytes.push(raw[i]);
    }
  }
  return Buffer.from(bytes);
}

function bytesMalformed(bytes: Buffer | undefined): boolean {
  if (bytes === undefined || bytes.includes(0)) return true;
  try {
    utf8.decode(bytes);
    return false;
  } catch {
    return true;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A JavaScript string that cannot be UTF-8 (a lone surrogate, as JSON's "\ud800") or that holds a NUL. */
export function stringMalformed(value: string): boolean {
  return value.includes("\u0000") || LONE_SURROGATE.test(value);
}

/** A request body that is not UTF-8 at all. */
export function bodyMalformed(body: Buffer): boolean {
  try {
    utf8.decode(body);
    return false;
  } catch {
    return true;
  }
}

function queryMalformed(search: string): boolean {
  if (search === "") return false;
  return search.split("&").some((pair) => pair.split("=").some((part) => bytesMalformed(unescapeBytes(part))));
}

function credentialsMalformed(headers: IncomingHttpHeaders): boolean {
  const authorization = headers.authorization;
  if (typeof authorization !== "string" || authorization === "") return false;
  const basic = /^Basic\s+(.+)$/i.exec(authorization.trim());
  return bytesMalformed(basic ? Buffer.from(basic[1], "base64") : Buffer.from(authorization, "latin1"));
}

/** The path, query string and credentials of a request, checked before routing. */
export function requestMalformed(rawUrl: string, headers: IncomingHttpHeaders): boolean {
  const queryStart = rawUrl.indexOf("?");
  const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const search = queryStart < 0 ? "" : rawUrl.slice(queryStart + 1).replace(/#.*$/s, "");
  return bytesMalformed(unescapeBytes(rawPath)) || queryMalformed(search) || credentialsMalformed(headers);
}

/** Parameters after body parsing; like GitLab, nesting deeper than three levels is not inspected. */
export function paramsMalformed(params: Params | unknown[], depth = 0): boolean {
  if (depth > 2) return false;
  const values = Array.isArray(params) ? params : Object.values(params);
  return values.some((value) => {
    if (typeof value === "string") return stringMalformed(value);
    if (value !== null && typeof value === "object") return paramsMalformed(value as Params | unknown[], depth + 1);
    return false;
  });
}

export function sendBadRequest(res: ServerResponse): void {
  res.writeHead(400, { "Content-Type": "text/plain", "Content-Length": "11" });
  res.end("Bad Request");
}
