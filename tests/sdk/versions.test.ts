/**
 * The SDK tooling uses the Pulumi version the CLI is built at (pulumi-versions.env): the code
 * generators, the Go SDK's dependency and the Go programs that drive it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiVersions } from "../support/pulumi-versions";
import { repoRoot } from "./support";

const version = `v${pulumiVersions(repoRoot).PULUMI_VERSION}`;

/** The version a go.mod requires of a module. */
function required(goMod: string, module: string): string | undefined {
  const text = fs.readFileSync(path.join(repoRoot, goMod), "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(\\S+)`, "m").exec(text)?.[1];
}

describe("Pulumi versions of the SDK tooling", () => {
  test.each([
    ["tools/sdkgen/go.mod", "github.com/pulumi/pulumi/pkg/v3"],
    ["tools/sdkgen/go.mod", "github.com/pulumi/pulumi/sdk/v3"],
    ["sdk/go/go.mod", "github.com/pulumi/pulumi/sdk/v3"],
    ["examples/go/go.mod", "github.com/pulumi/pulumi/sdk/v3"],
    ["scripts/sdk-stacks/go/go.mod", "github.com/pulumi/pulumi/sdk/v3"],
    ["tests/sdk/go/go.mod", "github.com/pulumi/pulumi/sdk/v3"],
  ])("%s requires %s at the CLI's version", (goMod, module) => {
    expect(required(goMod, module)).toBe(version);
  });
});
