/**
 * GitLab compiles `mirror_branch_regex` with RE2, so the pattern is compiled here with re2js, a
 * pure-JavaScript RE2: what passes is what GitLab accepts (`(?i)`, `\A…\z`, `(?P<name>…)`), and
 * what RE2 refuses (repeat counts over 1000, `\Z`, …) is refused at preview. Lookaround and
 * backreferences, which RE2 leaves out on purpose, are named explicitly since RE2's own error
 * does not say why. Returns a reason, or null when the pattern is acceptable.
 */
import type * as Re2js from "re2js";

let loaded: typeof Re2js | undefined;

/** Loaded when a pattern is first checked: most fleets set none, and the module costs a plugin's start. */
function re2js(): typeof Re2js {
  return (loaded ??= require("re2js") as typeof Re2js);
}

export const MAX_BRANCH_REGEX_LENGTH = 255;

export function branchRegexProblem(pattern: string): string | null {
  if (pattern.length > MAX_BRANCH_REGEX_LENGTH) {
    return `is ${pattern.length} characters long; GitLab allows at most ${MAX_BRANCH_REGEX_LENGTH}`;
  }
  const unsupported = unsupportedConstruct(pattern);
  if (unsupported !== null) return `uses ${unsupported}, which GitLab's RE2 regex engine does not support`;
  return re2CompileProblem(pattern);
}

interface Re2SyntaxFailure {
  error: string;
  input: string | null;
}

function isSyntaxFailure(err: unknown): err is Re2SyntaxFailure {
  return typeof err === "object" && err !== null && typeof (err as { error?: unknown }).error === "string";
}

function re2CompileProblem(pattern: string): string | null {
  try {
    re2js().RE2JS.compile(pattern);
    return null;
  } catch (err) {
    if (!isSyntaxFailure(err)) return `is not valid RE2 syntax: ${err instanceof Error ? err.message : String(err)}`;
    return `is not valid RE2 syntax: ${err.error}${err.input ? ` in \`${err.input}\`` : ""}`;
  }
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
