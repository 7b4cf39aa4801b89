/**
 * `mirror_branch_regex` checks. GitLab compiles it with RE2; JavaScript's RegExp is used here,
 * with RE2's unsupported constructs (look-around, back-references) refused up front so a
 * pattern accepted by the emulator is one GitLab would accept.
 */
export const MAX_BRANCH_REGEX_LENGTH = 255;

export function re2SyntaxError(pattern: string): string | undefined {
  const lookaround = /\(\?(<?[=!])/.exec(pattern);
  if (lookaround) return `invalid perl operator: (?${lookaround[1]}`;
  const backref = /\\([1-9])/.exec(pattern);
  if (backref) return `invalid escape sequence: \\${backref[1]}`;
  try {
    new RegExp(pattern, "u");
    return undefined;
  } catch (err) {
    const detail = String((err as Error).message).replace(/^Invalid regular expression: \/.*\/u?: /s, "");
    if (/Unterminated group|Unmatched '\)'/.test(detail)) return `missing ): ${pattern}`;
    if (/Unterminated character class/.test(detail)) return `missing ]: ${pattern}`;
    if (/Nothing to repeat/.test(detail)) return `missing argument to repetition operator: ${pattern}`;
    return detail.toLowerCase();
  }
}

/** Unanchored match, as RE2's `match` in GitLab's branch filter. */
export function branchMatches(pattern: string, branch: string): boolean {
  return new RegExp(pattern, "u").test(branch);
}

/** A protected-branch rule as a matcher: `*` is a wildcard, everything else literal. */
export function protectedRuleMatches(rule: string, branch: string): boolean {
  const source = rule.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(branch);
}
