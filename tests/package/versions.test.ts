/**
 * The Pulumi tool versions are written once, in pulumi-versions.env: the set-up sources it, and
 * what cannot read it (the README's prose, the stand-in language host's go.mod) must agree with it.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pulumiVersions } from "../support/pulumi-versions";

const repoRoot = path.resolve(__dirname, "..", "..");
const versions = pulumiVersions(repoRoot);
const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");

describe("pulumi-versions.env", () => {
  it("is what every Pulumi CLI version in the README says", () => {
    const mentioned = [...readme.matchAll(/pulumi(?:`| |-)v(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(mentioned.length).toBeGreaterThan(0);
    expect(new Set(mentioned)).toEqual(new Set([versions.PULUMI_VERSION]));
  });

  it("is what the README says of pulumi-language-yaml", () => {
    const mentioned = [...readme.matchAll(/pulumi-language-yaml`? v(\d+\.\d+\.\d+)/g)].map((m) => m[1]);
    expect(mentioned.length).toBeGreaterThan(0);
    expect(new Set(mentioned)).toEqual(new Set([versions.PULUMI_YAML_VERSION]));
  });

  it("is the Pulumi SDK version the stand-in language host is built with", () => {
    const goMod = readFileSync(path.join(repoRoot, "devtools", "pulumi-language-nodejs", "go.mod"), "utf8");
    expect(goMod).toMatch(new RegExp(`^\\s*github\\.com/pulumi/pulumi/sdk/v3 v${versions.PULUMI_VERSION.replace(/\./g, "\\.")}$`, "m"));
  });

  it("is the only place the set-up scripts take a Pulumi version from", () => {
    const setup = readFileSync(path.join(repoRoot, "scripts", "setup-pulumi.sh"), "utf8");
    expect(setup).toContain('. "$REPO_ROOT/pulumi-versions.env"');
    expect(setup).not.toContain(versions.PULUMI_VERSION);
    expect(setup).not.toContain(versions.PULUMI_YAML_VERSION);
  });
});
