/** What the SDK tests share: the provider plugin's schema and ways to read it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileAsync } from "../../harness/sdk-stack";

export { execFileAsync, installPythonSdk, sdkTools } from "../../harness/sdk-stack";
export const repoRoot = path.resolve(__dirname, "..", "..");

/** The part of Pulumi's package schema these tests read. */
export interface PackageSchema {
  resources: Record<string, {
    inputProperties: Record<string, { description?: string }>;
    properties: Record<string, { description?: string }>;
  }>;
}

/**
 * The provider plugin's schema, as `make sdks` prints it, written to a file in `dir`
 * (run `npx tsc -p tsconfig.json` first: make test does).
 */
export async function printSchema(dir: string): Promise<{ file: string; schema: PackageSchema }> {
  const printer = path.join(repoRoot, "dist", "provider", "plugin", "print-schema.js");
  if (!fs.existsSync(printer)) throw new Error(`${printer} is missing: run 'npx tsc -p tsconfig.json' (make test does)`);
  const { stdout } = await execFileAsync(process.execPath, [printer], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const file = path.join(dir, "schema.json");
  fs.writeFileSync(file, stdout);
  return { file, schema: JSON.parse(stdout) as PackageSchema };
}

/** The RemoteMirror resource of the schema. */
export function remoteMirrorSchema(schema: PackageSchema): PackageSchema["resources"][string] {
  const resource = schema.resources["gitlab-mirrors:index:RemoteMirror"];
  if (!resource) throw new Error("the schema has no gitlab-mirrors:index:RemoteMirror");
  return resource;
}

/** Text with its runs of white space made single spaces: generators re-wrap descriptions. */
export function words(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
