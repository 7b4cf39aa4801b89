/**
 * GitLab compiles `mirror_branch_regex` with RE2. JavaScript's RegExp with the `u` flag is a close
 * approximation; RE2 has no lookaround and no backreferences, so those are rejected explicitly.
 * Returns a reason, or null when the pattern is acceptable.
 */
export const MAX_BRANCH_REGEX_LENGTH = 255;

export function branchRegexProblem(pattern: string): string | null {
  if (pattern.length > MAX_BRANCH_REGEX_LENGTH) {
    return `is ${pattern.length} characters long; GitLab allows at most ${MAX_BRANCH_REGEX_LENGTH}`;
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported !== null) return `uses ${unsupported}, which GitLab's RE2 regex engine does not support`;
  try {
    new RegExp(pattern, "u");
  } catch (err) {
    const detail = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, "") : String(err);
    return `is not a valid regular expression: ${detail}`;
  }
  return null;
}

function unsupportedConstruct(pattern: string): string | null {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") {
      const next = pattern[i + 1] ?? "";
      if (!inClass && /[1-9]/.test(next)) return `a backreference (\\${next})`;
      if (!inClass && next === "k" && pattern[i + 2] === "<") return "a named backreference (\\k<...>)";
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      continue;
    }
    if (ch === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith("=")) return "a lookahead ((?=...))";
      if (rest.startsWith("!")) return "a negative lookahead ((?!...))";
      if (rest === "<=") return "a lookbehind ((?<=...))";
      if (rest === "<!") return "a negative lookbehind ((?<!...))";
    }
  }
  return null;
}
