/**
 * Checks that the reference tables (RemoteMirror's in the README, ProjectMirrors' in
 * docs/project-mirrors.md) match the field tables; `--write` rewrites them between each page's
 * reference markers (the tables come from harness/reference-docs.ts).
 *
 *   node dist/scripts/reference-docs.js [--write]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REFERENCE_PAGES, withReference } from "../harness/reference-docs";

let stale = false;
for (const { file, tables } of REFERENCE_PAGES) {
  const name = path.relative(process.cwd(), file);
  const current = fs.readFileSync(file, "utf8");
  const next = withReference(current, tables);
  if (process.argv.includes("--write")) {
    fs.writeFileSync(file, next);
    process.stdout.write(current === next ? `${name} reference: up to date\n` : `${name} reference: rewritten\n`);
  } else if (current !== next) {
    process.stderr.write(`${name} reference is out of date: run node dist/scripts/reference-docs.js --write\n`);
    stale = true;
  }
}
if (stale) process.exit(1);
