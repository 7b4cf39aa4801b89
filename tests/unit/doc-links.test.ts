/**
 * The README and docs/ as a reader follows them: every relative link names a file of this repository
 * (never one outside it), every `#anchor` names a heading of its page, and no page names a package
 * registry's host (the docs describe installing from releases and checkouts, not from a registry mirror).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");
const pages = ["README.md", ...readdirSync(path.join(repoRoot, "docs")).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];

/** The page's text without fenced code blocks, where `](` is code, not a link. */
function prose(page: string): string {
  return readFileSync(path.join(repoRoot, page), "utf8").replace(/^[ \t]*```[\s\S]*?^[ \t]*```$/gm, "");
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const match of prose(page).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = match[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

/** Every inline link target of the page that is not a URL with a scheme. */
function relativeLinks(page: string): string[] {
  return [...prose(page).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe("the README's and docs' links", () => {
  it("finds links to check", () => {
    expect(relativeLinks("README.md").length).toBeGreaterThan(10);
    expect(anchors("README.md")).toContain("your-first-stack-against-the-local-emulator");
  });

  it.each(pages)("%s: every relative link names a file of the repository, and an anchor of it", (page) => {
    const broken = relativeLinks(page).filter((target) => {
      const [file, anchor] = target.split("#", 2);
      const resolved = file === "" ? path.join(repoRoot, page) : path.resolve(repoRoot, path.dirname(page), file);
      if (path.relative(repoRoot, resolved).startsWith("..") || !existsSync(resolved)) return true;
      if (anchor === undefined || !statSync(resolved).isFile() || !resolved.endsWith(".md")) return false;
      return !anchors(path.relative(repoRoot, resolved)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it.each(pages)("%s names no package registry's host", (page) => {
    const text = readFileSync(path.join(repoRoot, page), "utf8");
    expect(text.match(/\b(registry\.npmjs\.org|npmjs\.(com|org)|registry\.yarnpkg\.com|pypi\.org|files\.pythonhosted\.org|proxy\.golang\.org|sum\.golang\.org|goproxy\.\w+)\b/gi) ?? []).toEqual([]);
  });
});
