import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package's root directory and version, found from this file in the repository and in dist/ alike. */
export function packageInfo(): { root: string; version: string } {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (parsed.name === "gitlab-mirrors") return { root: dir, version: parsed.version ?? "0.0.0" };
    }
    if (dirname(dir) === dir) throw new Error(`no gitlab-mirrors package.json above ${__dirname}`);
  }
}
