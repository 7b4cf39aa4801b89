/** branchRegexProblem: RE2 syntax as GitLab compiles it, checked with re2js. */
import { branchRegexProblem } from "../../provider/mirror/branch-regex";

describe("branchRegexProblem", () => {
  it.each([
    ["^(main|release/.*)$"],
    ["(?i)release"],
    ["\\Arelease\\z"],
    ["(?P<name>release)"],
    ["(?<name>release)"],
    ["\\p{Greek}"],
    ["a{1000}"],
    ["^(a+)+$"],
  ])("accepts the RE2 pattern %j", (pattern) => {
    expect(branchRegexProblem(pattern)).toBeNull();
  });

  it.each([
    ["(main", "is not valid RE2 syntax: missing closing ) in `(main`"],
    ["a{1001}", "is not valid RE2 syntax: invalid repeat count in `{1001}`"],
    ["release\\Z", "is not valid RE2 syntax: invalid escape sequence in `\\Z`"],
    ["a**", "is not valid RE2 syntax: invalid nested repetition operator in `**`"],
    ["x\\", "is not valid RE2 syntax: trailing backslash at end of expression"],
    ["^(?!wip/)", "uses a negative lookahead ((?!...)), which GitLab's RE2 regex engine does not support"],
    ["(a)\\1", "uses a backreference (\\1), which GitLab's RE2 regex engine does not support"],
    ["a".repeat(256), "is 256 characters long; GitLab allows at most 255"],
  ])("refuses %j", (pattern, problem) => {
    expect(branchRegexProblem(pattern)).toBe(problem);
  });
});
