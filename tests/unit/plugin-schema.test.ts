import * as fs from "node:fs";
import { fieldMeta, INPUT_FIELDS, OUTPUT_ONLY_FIELDS, outputMeta, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";
import { packageSchema, REMOTE_MIRROR_TOKEN } from "../../provider/plugin/schema";
import * as path from "node:path";
import { PROJECT_MIRRORS_DOC, README, REFERENCE_PAGES, withReference } from "../../harness/reference-docs";
import { ENTRY_FIELDS, EXCLUSIVE_DESCRIPTION } from "../../provider/project-mirrors";
import { mirrorInfoOf } from "../../provider/mirror/discover";
import { gitlabMirror } from "../support/gitlab-mirror";

const GITLAB_MIRROR = gitlabMirror();

type Spec = Record<string, any>;
const schema = packageSchema("1.2.3") as Spec;
const resource = schema.resources[REMOTE_MIRROR_TOKEN] as Spec;

describe("the plugin's schema follows the field table", () => {
  it.each(INPUT_FIELDS)("input %s: its description, secrecy, replacement and requiredness", (name) => {
    const meta = fieldMeta(name);
    const spec = resource.inputProperties[name] as Spec;
    expect(spec.description.startsWith(meta.description)).toBe(true);
    expect(spec.secret === true).toBe(meta.secret === true);
    expect(spec.willReplaceOnChanges === true).toBe(meta.change === "replace");
    expect(resource.requiredInputs.includes(name)).toBe(meta.required === true);
  });

  it.each(INPUT_FIELDS)("input %s is an output exactly when GitLab reports it back as it is", (name) => {
    const reported = fieldMeta(name).reported === true;
    expect(resource.properties[name]).toEqual(reported ? resource.inputProperties[name] : undefined);
    expect(resource.required.includes(name)).toBe(reported && name !== "mirrorBranchRegex");
  });

  it("repeats as outputs only enabled, authMethod, onlyProtectedBranches, keepDivergentRefs and mirrorBranchRegex", () => {
    expect(REPORTED_INPUT_FIELDS).toEqual(["enabled", "authMethod", "onlyProtectedBranches", "keepDivergentRefs", "mirrorBranchRegex"]);
  });

  it.each(OUTPUT_ONLY_FIELDS)("output %s: its description and secrecy", (name) => {
    const spec = resource.properties[name] as Spec;
    expect(spec.description).toBe(outputMeta(name).description);
    expect(spec.secret === true).toBe(outputMeta(name).secret === true);
  });

  it("types the inputs as Pulumi schema types: ids as integers, unions as oneOf, lists with items", () => {
    expect(resource.inputProperties.project).toMatchObject({ oneOf: [{ type: "integer" }, { type: "string" }] });
    expect(resource.inputProperties.hostKeys).toMatchObject({ type: "array", items: { type: "string" } });
    expect(resource.inputProperties.authMethod).toMatchObject({ type: "string" });
    expect(resource.inputProperties.syncTimeoutSeconds).toMatchObject({ type: "number" });
    expect(resource.properties.mirrorId).toMatchObject({ type: "integer" });
  });

  it("states each default in the description", () => {
    expect(resource.inputProperties.keepDivergentRefs.description).toMatch(/Default: `true`\.$/);
    expect(resource.inputProperties.onlyProtectedBranches.description).toMatch(/Default: `true` unless `mirrorBranchRegex` is set\.$/);
    expect(resource.inputProperties.mirrorBranchRegex.description).not.toContain("Default");
  });

  it("declares the provider's settings, the token secret, and the discovery function", () => {
    expect(schema).toMatchObject({ name: "gitlab-mirrors", version: "1.2.3" });
    expect(schema.config.variables.token.secret).toBe(true);
    expect(schema.provider.inputProperties).toEqual(schema.config.variables);
    expect(schema.functions["gitlab-mirrors:index:getRemoteMirrors"].inputs.required).toEqual(["project"]);
    expect(schema.types["gitlab-mirrors:index:RemoteMirrorInfo"].properties.resourceId.type).toBe("string");
  });

  it("types getRemoteMirrors' mirrors as discovery builds them: every field it fills, required when always there", () => {
    const info = schema.types["gitlab-mirrors:index:RemoteMirrorInfo"] as Spec;
    const scrub = (text: string) => text;
    const full = mirrorInfoOf(3, { ...GITLAB_MIRROR, mirrorBranchRegex: "^main$", lastError: "x", lastUpdateAt: "t", lastSuccessfulUpdateAt: "t" }, scrub);
    const bare = mirrorInfoOf(3, GITLAB_MIRROR, scrub);
    expect(Object.keys(full).sort()).toEqual(Object.keys(info.properties).sort());
    expect(Object.keys(bare).sort()).toEqual([...info.required].sort());
    for (const [name, value] of Object.entries(full)) expect(info.properties[name].type).toBe(typeof value === "number" ? "integer" : typeof value);
  });
});

describe("the reference pages (the README's RemoteMirror, docs/project-mirrors.md's ProjectMirrors)", () => {
  it.each(REFERENCE_PAGES.map((page) => [path.basename(page.file), page] as const))(
    "%s is what scripts/reference-docs.ts writes from the field tables (run it with --write)",
    (_name, { file, tables }) => {
      const page = fs.readFileSync(file, "utf8");
      expect(withReference(page, tables)).toBe(page);
    },
  );

  it.each(INPUT_FIELDS)("the README documents input %s with the table's description", (name) => {
    expect(fs.readFileSync(README, "utf8")).toContain(fieldMeta(name).description.replace(/\|/g, "\\|"));
  });

  it.each(OUTPUT_ONLY_FIELDS)("the README documents output %s with the table's description", (name) => {
    expect(fs.readFileSync(README, "utf8")).toContain(outputMeta(name).description.replace(/\|/g, "\\|"));
  });

  it("docs/project-mirrors.md documents exclusive and names every entry field", () => {
    const doc = fs.readFileSync(PROJECT_MIRRORS_DOC, "utf8");
    expect(doc).toContain(EXCLUSIVE_DESCRIPTION.replace(/\|/g, "\\|"));
    for (const name of ENTRY_FIELDS) expect(doc).toContain(`\`${name}\``);
  });
});
