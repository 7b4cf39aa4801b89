/**
 * One source for the documentation of every input: the reference tables (RemoteMirror's in the README,
 * ProjectMirrors' in docs/project-mirrors.md) and the generated SDKs both come from the field table,
 * through the plugin's schema for the SDKs (whose docs tests/sdk/python-sdk.test.ts and go-sdk.test.ts
 * compare with it). Here: the reference pages against the schema.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PackageSchema, printSchema, remoteMirrorSchema, repoRoot, words } from "./support";

/** The "what" column of the input table in a page's section (from `heading` to the next heading of its level), by input name. */
function inputRows(page: string, heading: RegExp): Record<string, string> {
  const text = fs.readFileSync(path.join(repoRoot, page), "utf8");
  const table = heading.exec(text);
  if (!table) throw new Error(`${page} has no section ${heading}`);
  const rows: Record<string, string> = {};
  for (const line of table[1].split("\n")) {
    const match = /^\| `([A-Za-z]+)`[^|]*\|.*\| ([^|]+) \|$/.exec(line);
    if (match) rows[match[1]] = match[2];
  }
  return rows;
}

const readmeInputs = () => inputRows("README.md", /^### Inputs\n([\s\S]*?)^### /m);
const projectMirrorsInputs = () => inputRows("docs/project-mirrors.md", /^## Reference\n([\s\S]*?)^## /m);
/** A table cell's text as the schema writes it: single spaces, pipes unescaped. */
const cellWords = (text: string) => words(text).replace(/\\\|/g, "|");

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
      expect([name, cellWords(readme[name] ?? "")]).toEqual([name, documented]);
    }
  });
});

describe("docs/project-mirrors.md's ProjectMirrors reference", () => {
  let schema: PackageSchema & { types: Record<string, { properties: Record<string, unknown> }> };

  beforeAll(async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-reference-"));
    try {
      schema = (await printSchema(scratch)).schema as typeof schema;
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  test("lists every input of the schema, and no other", () => {
    const resource = schema.resources["gitlab-mirrors:index:ProjectMirrors"];
    expect(Object.keys(projectMirrorsInputs()).sort()).toEqual(Object.keys(resource.inputProperties).sort());
  });

  test("describes project and exclusive in the schema's words, and names every field of an entry", () => {
    const documented = projectMirrorsInputs();
    const { inputProperties } = schema.resources["gitlab-mirrors:index:ProjectMirrors"];
    for (const name of ["project", "exclusive"]) {
      expect([name, cellWords(documented[name] ?? "")]).toEqual([name, words(inputProperties[name].description ?? "")]);
    }
    const entryFields = Object.keys(schema.types["gitlab-mirrors:index:MirrorEntry"].properties);
    expect(entryFields.length).toBeGreaterThan(5);
    expect(entryFields.filter((field) => !documented.mirrors.includes(`\`${field}\``))).toEqual([]);
  });
});
