/**
 * Turns the user's base URL setting into the API root every path is appended to.
 * Accepts the instance or its API, with or without a trailing slash, as go-gitlab does.
 */
import { GITLAB_CONFIG_NAMES, nameWithFallback, type SettingNames } from "../connection-settings";
import { settingError } from "../errors";

const API_SUFFIX = "/api/v4";
// Schemes a person may well write by mistake, safe to name back. Anything else before a ":" may be a
// token pasted into the wrong setting, and is never echoed.
const NAMEABLE_SCHEMES = new Set(["ftp:", "ssh:", "git:", "file:", "ws:", "wss:"]);

/**
 * "https://gitlab.example.com/" or ".../api/v4/" -> "https://gitlab.example.com/api/v4". A bad one fails
 * naming the settings the way `names` does.
 */
export function normaliseApiUrl(baseUrl: string, names: SettingNames = GITLAB_CONFIG_NAMES): string {
  const bad = (reason: string, cause?: unknown) => settingError(names, "baseUrl", reason, cause === undefined ? undefined : { cause });
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw bad("is empty; set it to your GitLab instance, e.g. https://gitlab.example.com");
  }
  // The URL parser drops tabs and line breaks silently: a value holding one was pasted wrong.
  if (/[\u0000-\u001f\u007f]/.test(baseUrl.trim())) {
    throw bad("contains a line break or another control character; set it again without it");
  }
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch (cause) {
    // Not echoed: a value that is no URL may be the token, pasted into the wrong setting.
    throw bad("is not an absolute URL; use e.g. https://gitlab.example.com", cause);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    // The reason follows the setting's name: "gitlab:baseUrl uses scheme ftp, which is not supported".
    const scheme = NAMEABLE_SCHEMES.has(url.protocol) ? `uses scheme ${url.protocol.replace(/:$/, "")}, which is` : "uses a scheme that is";
    throw bad(`${scheme} not supported; use https:// (or http:// for a local GitLab)`);
  }
  if (url.username !== "" || url.password !== "") {
    throw bad(`must not contain credentials; put the token in ${nameWithFallback(names.token)}`);
  }
  if (url.search !== "" || url.hash !== "") {
    throw bad("must not have a query string or fragment; use the instance URL, e.g. https://gitlab.example.com");
  }
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith(API_SUFFIX)) path += API_SUFFIX;
  return `${url.origin}${path}`;
}
