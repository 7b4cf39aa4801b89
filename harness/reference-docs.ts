/**
 * The README's RemoteMirror reference tables, written from the field table (provider/mirror/fields.ts),
 * the same source as the SDKs' documentation and the plugin's schema. scripts/reference-docs.ts rewrites
 * the README with them; a test fails when the README differs from what this writes.
 */
import * as path from "node:path";
import { z } from "zod";
import { fieldMeta, INPUT_FIELDS, InputField, mirrorInputsSchema, OUTPUT_ONLY_FIELDS, outputMeta, REPORTED_INPUT_FIELDS } from "../provider/mirror";
import { packageInfo } from "../provider/plugin/package-root";
import { ENTRY_FIELDS, EXCLUSIVE_DESCRIPTION, MAX_ENABLED_MIRRORS } from "../provider/project-mirrors";

export const README = path.join(packageInfo().root, "README.md");
const BEGIN = "<!-- reference:begin (written by scripts/reference-docs.ts from provider/mirror/fields.ts) -->";
const END = "<!-- reference:end -->";

function typeText(name: InputField): string {
  const json = z.toJSONSchema(mirrorInputsSchema.shape[name], { unrepresentable: "any" }) as Record<string, unknown>;
  const of = (schema: Record<string, unknown>): string => {
    if (Array.isArray(schema.enum)) return schema.enum.map((value) => `\`"${value}"\``).join(" \\| ");
    if (Array.isArray(schema.type)) return schema.type.map((type) => of({ type })).join(" \\| ");
    if (schema.type === "array") return `${of(schema.items as Record<string, unknown>)}[]`;
    return String(schema.type);
  };
  return of(json) + (fieldMeta(name).secret ? " (secret)" : "");
}

function defaultText(name: InputField): string {
  const meta = fieldMeta(name);
  if (meta.required) return "required";
  if (meta.defaultText !== undefined) return meta.defaultText;
  if (meta.default === undefined || (Array.isArray(meta.default) && meta.default.length === 0)) return "none";
  return `\`${JSON.stringify(meta.default)}\``;
}

/** One line of a Markdown table cell: pipes escaped. */
const cell = (text: string) => text.replace(/\|/g, "\\|");

export function referenceTables(): string {
  const inputs = INPUT_FIELDS.map((name) => {
    const meta = fieldMeta(name);
    const gitlab = meta.gitlab === undefined ? "" : ` (\`${meta.gitlab}\`)`;
    return `| \`${name}\`${gitlab} | ${typeText(name)} | ${cell(defaultText(name))} | ${meta.change} | ${cell(meta.description)} |`;
  });
  const outputs = OUTPUT_ONLY_FIELDS.map((name) => {
    const meta = outputMeta(name);
    return `| \`${name}\`${meta.secret ? " (secret)" : ""} | ${cell(meta.description)} |`;
  });
  return [
    BEGIN,
    "### Inputs",
    "",
    "GitLab's name of each attribute in brackets.",
    "",
    "| input | type | default | on change | what |",
    "|---|---|---|---|---|",
    ...inputs,
    "",
    "### Outputs",
    "",
    `The inputs GitLab reports back (${REPORTED_INPUT_FIELDS.map((name) => `\`${name}\``).join(", ")}), as GitLab has them, plus:`,
    "",
    "| output | what |",
    "|---|---|",
    ...outputs,
    "",
    "The other inputs are not repeated as outputs through the plugin: the engine records a resource's inputs beside",
    "its outputs. The TypeScript package's `RemoteMirror` (a dynamic provider, which sees only its stored outputs)",
    "also has every input, defaults applied, as an output.",
    "",
    "### ProjectMirrors",
    "",
    "A project's push mirrors as one resource (`gitlab-mirrors:index:ProjectMirrors`, through the plugin). Its id is the",
    "project's numeric id. Entries are matched by their URL without credentials: their order is no change.",
    "",
    "| input | type | default | on change | what |",
    "|---|---|---|---|---|",
    `| \`project\` | ${typeText("project")} | required | replace | The project whose push mirrors these are: its numeric id or its full path. |`,
    `| \`mirrors\` | entry[] | required | update | The declared mirrors (at most ${MAX_ENABLED_MIRRORS} enabled). An entry has the inputs above but \`project\` and \`adopt\`, with the same types, defaults and rules: ${ENTRY_FIELDS.map((name) => `\`${name}\``).join(", ")}. A change of an entry's credentials replaces that mirror only, inside an update of the set. |`,
    `| \`exclusive\` | boolean | \`false\` | update | ${cell(EXCLUSIVE_DESCRIPTION)} |`,
    "",
    "Outputs: `projectId`; `mirrors`, per declared mirror in the order of the entries, its `target` (the URL without",
    `credentials) and the outputs above but \`projectId\` (${[...REPORTED_INPUT_FIELDS, ...OUTPUT_ONLY_FIELDS.filter((name) => name !== "projectId")].map((name) => `\`${name}\``).join(", ")}); \`unmanagedMirrors\`, the`,
    "project's mirrors that no entry declares (`id`, masked `url`, `enabled`), as last read.",
    END,
  ].join("\n");
}

/** The README with its reference section replaced by the generated tables. */
export function withReference(readme: string): string {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no reference markers (${BEGIN} … ${END})`);
  return readme.slice(0, begin) + referenceTables() + readme.slice(end + END.length);
}
