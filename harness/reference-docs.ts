/**
 * The reference tables, written from the field tables (provider/mirror/fields.ts and the ProjectMirrors
 * entry fields), the same source as the SDKs' documentation and the plugin's schema: RemoteMirror's in the
 * README, ProjectMirrors' in docs/project-mirrors.md. scripts/reference-docs.ts rewrites each page between
 * its markers; a test fails when a page differs from what this writes.
 */
import * as path from "node:path";
import { z } from "zod";
import { fieldMeta, INPUT_FIELDS, InputField, mirrorInputsSchema, OUTPUT_ONLY_FIELDS, outputMeta, REPORTED_INPUT_FIELDS } from "../provider/mirror";
import { packageInfo } from "../provider/plugin/package-root";
import { packageSchema, PROJECT_MIRRORS_TOKEN } from "../provider/plugin/schema";
import { ENTRY_FIELDS, MAX_ENABLED_MIRRORS } from "../provider/project-mirrors";

export const README = path.join(packageInfo().root, "README.md");
export const PROJECT_MIRRORS_DOC = path.join(packageInfo().root, "docs", "project-mirrors.md");
const BEGIN = "<!-- reference:begin (written by scripts/reference-docs.ts from the field tables) -->";
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

const names = (fields: readonly string[]) => fields.map((name) => `\`${name}\``).join(", ");

/** RemoteMirror's inputs and outputs, for the README. */
export function remoteMirrorTables(): string {
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
    `The inputs GitLab reports back (${names(REPORTED_INPUT_FIELDS)}), as GitLab has them, plus the outputs below.`,
    "Through the plugin the other inputs are not repeated as outputs (the engine records a resource's inputs beside",
    "its outputs); the dynamic `RemoteMirror`, which sees only its stored outputs, has every input, defaults applied.",
    "",
    "| output | what |",
    "|---|---|",
    ...outputs,
  ].join("\n");
}

/** A ProjectMirrors input's description in the plugin's schema: the words the SDKs show. */
function projectMirrorsInput(name: "project" | "exclusive"): string {
  const schema = packageSchema("0.0.0") as { resources: Record<string, { inputProperties: Record<string, { description: string }> }> };
  return schema.resources[PROJECT_MIRRORS_TOKEN].inputProperties[name].description;
}

/** ProjectMirrors' inputs and outputs, for docs/project-mirrors.md, in terms of RemoteMirror's (README). */
export function projectMirrorsTables(): string {
  return [
    "Its id is the project's numeric id. Entries are matched by their URL without credentials: their order is no change.",
    "",
    "| input | type | default | on change | what |",
    "|---|---|---|---|---|",
    `| \`project\` | ${typeText("project")} | required | replace | ${cell(projectMirrorsInput("project"))} |`,
    `| \`mirrors\` | entry[] | required | update | The declared mirrors (at most ${MAX_ENABLED_MIRRORS} enabled). An entry has [\`RemoteMirror\`'s inputs](../README.md#inputs) but \`project\` and \`adopt\`, with the same types, defaults and rules: ${names(ENTRY_FIELDS)}. A change of an entry's credentials replaces that mirror only, inside an update of the set. |`,
    `| \`exclusive\` | boolean | \`false\` | update | ${cell(projectMirrorsInput("exclusive"))} |`,
    "",
    "Outputs: `projectId`; `mirrors`, per declared mirror in the order of the entries, its `target` (the URL without",
    `credentials) and [\`RemoteMirror\`'s outputs](../README.md#outputs) but \`projectId\` (${names([...REPORTED_INPUT_FIELDS, ...OUTPUT_ONLY_FIELDS.filter((name) => name !== "projectId")])});`,
    "`unmanagedMirrors`, the project's mirrors that no entry declares (`id`, masked `url`, `enabled`), as last read.",
  ].join("\n");
}

/** Each page that holds generated reference tables, with what goes between its markers. */
export const REFERENCE_PAGES: readonly { file: string; tables: () => string }[] = [
  { file: README, tables: remoteMirrorTables },
  { file: PROJECT_MIRRORS_DOC, tables: projectMirrorsTables },
];

/** The page with the text between its reference markers replaced by the generated tables. */
export function withReference(markdown: string, tables: () => string): string {
  const begin = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`the page has no reference markers (${BEGIN} … ${END})`);
  return `${markdown.slice(0, begin)}${BEGIN}\n${tables()}\n${markdown.slice(end)}`;
}
