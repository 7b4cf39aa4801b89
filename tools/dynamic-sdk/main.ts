/** Writes sdk/nodejs/remote-mirror-fields.ts from the field table (`make sdks` runs it). */
import * as fs from "node:fs";
import * as path from "node:path";
import { DYNAMIC_FIELDS_FILE, renderDynamicFields } from "./render";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
fs.writeFileSync(path.join(repoRoot, DYNAMIC_FIELDS_FILE), renderDynamicFields());
