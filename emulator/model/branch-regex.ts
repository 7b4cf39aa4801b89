/**
 * `mirror_branch_regex` and protected-branch rules, matched the way GitLab and Gitaly match them:
 * with RE2 (here re2js, a pure-JavaScript port), whose matching time is linear in the input, so a
 * pattern such as `^(a+)+$` cannot stall the server. JavaScript's backtracking RegExp is never used.
 */
import { RE2JS } from "re2js";

export const MAX_BRANCH_REGEX_LENGTH = 255;

/**
 * re2js reports the error codes of Go's regexp/syntax; GitLab (C++ RE2 through the re2 gem) shows
 * RE2's own texts, which name the same failures differently.
 */
const RE2_ERROR_TEXT: Readonly<Record<string, string>> = Object.freeze({
  "missing closing )": "missing )",
  "missing closing ]": "missing ]",
  "missing argument to repetition operator": "no argument for repetition operator",
  "invalid nested repetition operator": "bad repetition operator",
  "invalid repeat count": "invalid repetition size",
  "invalid or unsupported Perl syntax": "invalid perl operator",
  "invalid named capture": "invalid named capture group",
  "duplicate capture group name": "invalid named capture group",
  "trailing backslash at end of expression": "trailing \\",
  "expression too large": "pattern too large - compile failed",
});

interface Re2SyntaxFailure {
  error: string;
  input: string | null;
}

function isSyntaxFailure(err: unknown): err is Re2SyntaxFailure {
  return typeof err === "object" && err !== null && typeof (err as { error?: unknown }).error === "string";
}

/** RE2's error text for a pattern that does not compile (`RE2::Regexp#error`), or undefined. */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    if (!isSyntaxFailure(err)) return err instanceof Error ? err.message : String(err);
    const text = RE2_ERROR_TEXT[err.error] ?? err.error;
    return err.input ? `${text}: ${err.input}` : text;
  }
}

/** A compiled branch filter: unanchored, as Gitaly's match of `mirror_branch_regex`. */
export function branchMatcher(pattern: string): (branch: string) => boolean {
  const compiled = RE2JS.compile(pattern);
  return (branch) => compiled.test(branch);
}

/** Unanchored match of one branch name. */
export function branchMatches(pattern: string, branch: string): boolean {
  return branchMatcher(pattern)(branch);
}

/** A protected-branch rule as Gitaly reads it: `*` is `.*`, everything else literal, anchored. */
export function protectedRuleMatcher(rule: string): (branch: string) => boolean {
  const source = rule.split("*").map((part) => RE2JS.quote(part)).join(".*");
  const compiled = RE2JS.compile(`^${source}$`);
  return (branch) => compiled.test(branch);
}

export function protectedRuleMatches(rule: string, branch: string): boolean {
  return protectedRuleMatcher(rule)(branch);
}
