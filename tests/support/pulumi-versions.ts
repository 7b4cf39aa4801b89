import { readFileSync } from "node:fs";
import * as path from "node:path";

export interface PulumiVersions {
  PULUMI_VERSION: string;
  PULUMI_LANGUAGE_NODEJS_VERSION: string;
  PULUMI_YAML_VERSION: string;
}

/** The tool versions written once in pulumi-versions.env (KEY=value lines, `#` comments). */
export function pulumiVersions(repoRoot: string): PulumiVersions {
  const entries = new Map<string, string>();
  for (const line of readFileSync(path.join(repoRoot, "pulumi-versions.env"), "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(\S+)$/.exec(line.trim());
    if (match) entries.set(match[1], match[2]);
  }
  const value = (key: keyof PulumiVersions): string => {
    const found = entries.get(key);
    if (found === undefined) throw new Error(`pulumi-versions.env has no ${key}`);
    return found;
  };
  return {
    PULUMI_VERSION: value("PULUMI_VERSION"),
    PULUMI_LANGUAGE_NODEJS_VERSION: value("PULUMI_LANGUAGE_NODEJS_VERSION"),
    PULUMI_YAML_VERSION: value("PULUMI_YAML_VERSION"),
  };
}
