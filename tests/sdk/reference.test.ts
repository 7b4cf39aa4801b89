/**
 * One source for the documentation of every input: the README's reference table and the generated
 * SDKs both come from the field table, through the plugin's schema for the SDKs (whose docs
 * tests/sdk/python-sdk.test.ts and go-sdk.test.ts compare with it). Here: README against schema.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PackageSchema, printSchema, remoteMirrorSchema, repoRoot, words } from "./support";

/** The "what" column of the README's Inputs table, by input name. */
function readmeInputs(): Record<string, string> {
  const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const table = /^### Inputs\n([\s\S]*?)^### /m.exec(readme);
  if (!table) throw new Error("the README has no '### Inputs' section");
  const rows: Record<string, string> = {};
  for (const line of table[1].split("\n")) {
    const match = /^\| `([A-Za-z]+)`[^|]*\|.*\| ([^|]+) \|$/.exec(line);
    if (match) rows[match[1]] = match[2];
  }
  return rows;
}

describe("the README's RemoteMirror reference", () => {
  let schema: PackageSchema;

  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-reference-"));
    try {
      schema = (await printSchema(scratch)).schema;
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("lists every input of the schema, and no other", () => {
    expect(Object.keys(readmeInputs()).sort()).toEqual(Object.keys(remoteMirrorSchema(schema).inputProperties).sort());
  });

  test("describes each input in the words the SDKs show (the schema's description, before its default)", () => {
    const readme = readmeInputs();
    for (const [name, { description }] of Object.entries(remoteMirrorSchema(schema).inputProperties)) {
      const documented = words(description ?? "").replace(/ Default: .*$/, "");
      expect([name, words(readme[name] ?? "").replace(/\\\|/g, "|")]).toEqual([name, documented]);
    }
  });
});
