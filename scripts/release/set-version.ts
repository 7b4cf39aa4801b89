/**
 * Writes a version into the one place the sources hold it: package.json (and package-lock.json's copy
 * of it). The schema, the SDKs and the plugin take it from there.
 *
 *   node dist/scripts/release/set-version.js DIR VERSION
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Sets "version" in a JSON file, keeping its key order and two-space layout. */
function setVersion(file: string, update: (json: Record<string, unknown>, version: string) => void, version: string): void {
  if (!fs.existsSync(file)) return;
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  update(json, version);
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

const [dir, version] = process.argv.slice(2);
if (!dir || !version) {
  process.stderr.write("usage: set-version DIR VERSION\n");
  process.exit(2);
}
setVersion(path.join(dir, "package.json"), (json, v) => (json.version = v), version);
setVersion(
  path.join(dir, "package-lock.json"),
  (json, v) => {
    json.version = v;
    const root = (json.packages as Record<string, Record<string, unknown>> | undefined)?.[""];
    if (root) root.version = v;
  },
  version,
);
