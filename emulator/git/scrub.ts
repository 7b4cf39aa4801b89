/** Removes credentials from text before it is stored (`last_error`) or shown. */
import type { MirrorCredentials } from "../model/types";

export const MASK = "*****";

/** The user name GitLab leaves visible (SafeUrl's `allowed_usernames`): it is a convention, not a secret. */
const VISIBLE_USER = "git";

/** The strings of a mirror's credentials that must never be shown. */
export function mirrorSecrets(credentials: Pick<MirrorCredentials, "user" | "password">): string[] {
  return [credentials.user === VISIBLE_USER ? undefined : credentials.user, credentials.password].filter(
    (s): s is string => s !== undefined && s !== "",
  );
}

function maskUserinfo(userinfo: string): string {
  if (userinfo === VISIBLE_USER) return userinfo;
  if (userinfo.startsWith(`${VISIBLE_USER}:`)) return `${VISIBLE_USER}:${MASK}`;
  return `${MASK}:${MASK}`;
}

function encodedVariants(secret: string): string[] {
  const utf8 = Buffer.from(secret, "utf8");
  const percent = utf8.toString("latin1").replace(/[^A-Za-z0-9_.~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  const lenient = percent.replace(/%(2[1789A]|7E)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return [secret, percent, lenient, utf8.toString("base64")];
}

export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  // Userinfo in any URL, as Gitlab::UrlSanitizer.sanitize does (the `git` user stays visible).
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^\s/@'"]+)@/gi, (_m, scheme: string, userinfo: string) => `${scheme}${maskUserinfo(userinfo)}@`);
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const variant of encodedVariants(secret)) variants.add(variant);
  }
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
  return out;
}
