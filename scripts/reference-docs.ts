/**
 * Checks that the README's reference tables match the field table; `--write` rewrites them between
 * the README's reference markers (the tables come from harness/reference-docs.ts).
 *
 *   node dist/scripts/reference-docs.js [--write]
 */
import * as fs from "node:fs";
import { README, withReference } from "../harness/reference-docs";

const current = fs.readFileSync(README, "utf8");
const next = withReference(current);
if (process.argv.includes("--write")) {
  fs.writeFileSync(README, next);
  process.stdout.write(current === next ? "README.md reference: up to date\n" : "README.md reference: rewritten\n");
} else if (current !== next) {
  process.stderr.write("README.md reference is out of date: run node dist/scripts/reference-docs.js --write\n");
  process.exit(1);
}
