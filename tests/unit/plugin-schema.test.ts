import * as fs from "node:fs";
import { fieldMeta, INPUT_FIELDS, OUTPUT_ONLY_FIELDS, outputMeta, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";
import { packageSchema, REMOTE_MIRROR_TOKEN } from "../../provider/plugin/schema";
import { mirrorInfoOf } from "../../provider/mirror/discover";
import type { RemoteMirror } from "../../provider/gitlab";

const GITLAB_MIRROR: RemoteMirror = {
  id: 7,
  enabled: true,
  url: "https://*****:*****@example.com/group/app.git",
  updateStatus: "finished",
  lastUpdateAt: null,
  lastUpdateStartedAt: null,
  lastSuccessfulUpdateAt: null,
  lastError: null,
  onlyProtectedBranches: true,
  keepDivergentRefs: null,
  authMethod: "password",
  hostKeys: [],
};
import { README, withReference } from "../../harness/reference-docs";

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

describe("the README's reference", () => {
  it("is what scripts/reference-docs.ts writes from the field table (run it with --write)", () => {
    const readme = fs.readFileSync(README, "utf8");
    expect(withReference(readme)).toBe(readme);
  });

  it.each(INPUT_FIELDS)("documents %s with the table's description", (name) => {
    expect(fs.readFileSync(README, "utf8")).toContain(fieldMeta(name).description.replace(/\|/g, "\\|"));
  });
});
