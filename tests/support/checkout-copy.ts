import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * A copy of the checkout as a fresh clone would have it (tracked files plus new files git does not
 * ignore; no dist/, no caches) in a temp directory outside the repository, sharing node_modules
 * through a symlink so that building it needs no registry.
 */
export async function copyOfCheckout(repoRoot: string, prefix: string): Promise<string> {
  const { stdout } = await execFileAsync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  const copy = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const file of stdout.split("\0")) {
    // A tracked file deleted in the working tree is listed but gone.
    if (file === "" || !existsSync(path.join(repoRoot, file))) continue;
    cpSync(path.join(repoRoot, file), path.join(copy, file), { recursive: false });
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(copy, "node_modules"));
  return copy;
}

export interface PackedFile {
  path: string;
  size: number;
  /** The file's mode in the tarball. */
  mode: number;
}

export interface PackResult {
  filename: string;
  entryCount: number;
  unpackedSize: number;
  files: PackedFile[];
}

/** `npm pack` in `dir` (its `prepare` script builds first); dry run unless a destination is given. */
export async function npmPack(dir: string, destination?: string): Promise<PackResult> {
  const args = ["pack", "--json", ...(destination ? ["--pack-destination", destination] : ["--dry-run"])];
  const { stdout } = await execFileAsync("npm", args, { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  // Anything the prepare script printed to stdout precedes npm's JSON, which starts a line with "[".
  const results = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as PackResult[];
  return results[0];
}
