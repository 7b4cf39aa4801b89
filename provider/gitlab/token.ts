/**
 * What a token must look like to travel in the PRIVATE-TOKEN header. GitLab's tokens are printable ASCII
 * (`glpat-` and letters, digits, "_" and "-"); anything else was pasted wrong, and would either be refused
 * by the HTTP layer before anything is sent (with an error that may quote the header) or be sent mangled.
 */
export function tokenProblem(token: string): string | null {
  if (/[\r\n]/.test(token)) return "contains a line break (a stray newline when it was pasted?); set it again without it";
  if (/[\u0000-\u001f\u007f]/.test(token)) return "contains a control character; set it again without it";
  if (/\s/.test(token)) return "contains a space; GitLab tokens have none, set it again without it";
  const other = /[^\x21-\x7e]/u.exec(token);
  if (other !== null) {
    // The character's code only, never the token: a non-ASCII character is often a mistyped letter of it.
    const code = `U+${other[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return `contains a character outside printable ASCII (${code}); GitLab tokens are ASCII, so it was probably pasted or typed wrong`;
  }
  return null;
}
