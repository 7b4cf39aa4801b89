/** Removes credentials from text before it is stored (`last_error`) or shown. */
export const MASK = "*****";

export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  // Userinfo in any URL, as Gitlab::UrlSanitizer.sanitize does.
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi, `$1${MASK}:${MASK}@`);
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
    variants.add(Buffer.from(secret).toString("base64"));
  }
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
  return out;
}
