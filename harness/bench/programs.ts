/**
 * The programs the bench runs, as project directories a user would have: the fleet and its no-op floor
 * as YAML programs of a source plugin (`packages:`), and as JavaScript programs run by the Node.js
 * language host. Every program declares the same fleet: mirror i of project fleet/p-<floor(i/10)>, its
 * URL a secret holding credentials, `enabled` from the stack's config, never synced.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The project name, hence the namespace of the fleet's config keys (`fleet:enabled`, ...). */
export const FLEET_PROJECT = "fleet";
export const PER_PROJECT = 10;
const TARGET_USER = "fleet-bot";

export interface YamlFleetOptions {
  /** The package name under `packages:` and in the resource type token. */
  packageName: string;
  /** The source plugin's directory (a `PulumiPlugin.yaml` beside its Node.js entry). */
  pluginDir: string;
  count: number;
}

/** The program's name, its plugin, the fleet's config (`enabled`, the secret `targetToken`), and `resources:`. */
function yamlProgramHead(packageName: string, pluginDir: string): string[] {
  return [
    `name: ${FLEET_PROJECT}`,
    "runtime: yaml",
    "packages:",
    `  ${packageName}: ${pluginDir}`,
    "config:",
    "  enabled:",
    "    type: boolean",
    "    default: true",
    "  targetToken:",
    "    type: string",
    "resources:",
  ];
}

/** Pulumi.yaml of a YAML program declaring `count` `<packageName>:index:RemoteMirror` resources. */
export function yamlFleetProgram({ packageName, pluginDir, count }: YamlFleetOptions): string {
  const lines = yamlProgramHead(packageName, pluginDir);
  for (let index = 0; index < count; index += 1) {
    lines.push(
      `  app-${index}:`,
      `    type: ${packageName}:index:RemoteMirror`,
      "    properties:",
      `      project: fleet/p-${Math.floor(index / PER_PROJECT)}`,
      `      url: https://${TARGET_USER}:\${targetToken}@mirror.example.com/fleet/app-${index}.git`,
      "      enabled: ${enabled}",
      "      syncOnApply: false",
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Pulumi.yaml of a YAML program declaring the same fleet as `<packageName>:index:ProjectMirrors` sets: one
 * resource per project, its PER_PROJECT mirrors as entries.
 */
export function yamlSetsProgram({ packageName, pluginDir, count }: YamlFleetOptions): string {
  const lines = yamlProgramHead(packageName, pluginDir);
  for (let project = 0; project * PER_PROJECT < count; project += 1) {
    lines.push(`  p-${project}:`, `    type: ${packageName}:index:ProjectMirrors`, "    properties:", `      project: fleet/p-${project}`, "      mirrors:");
    for (let index = project * PER_PROJECT; index < Math.min(count, (project + 1) * PER_PROJECT); index += 1) {
      lines.push(
        `        - url: https://${TARGET_USER}:\${targetToken}@mirror.example.com/fleet/app-${index}.git`,
        "          enabled: ${enabled}",
      );
    }
  }
  return `${lines.join("\n")}\n`;
}


/**
 * A JavaScript project whose program is a compiled module of this repository; its node_modules is the
 * repository's, so `@pulumi/pulumi` and `gitlab-mirrors` resolve as in a user's project.
 */
export function writeNodeProject(projectDir: string, programModule: string, nodeModules: string): void {
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    [`name: ${FLEET_PROJECT}`, "runtime:", "  name: nodejs", "  options:", "    typescript: false", "main: index.js", ""].join("\n"),
  );
  fs.writeFileSync(path.join(projectDir, "index.js"), `module.exports = require(${JSON.stringify(programModule)});\n`);
  fs.symlinkSync(nodeModules, path.join(projectDir, "node_modules"), "dir");
}

/** A YAML project of the fleet: one RemoteMirror per mirror, or (`sets`) one ProjectMirrors per project. */
export function writeYamlProject(projectDir: string, options: YamlFleetOptions & { sets?: boolean }): void {
  fs.mkdirSync(projectDir, { recursive: true });
  fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), options.sets ? yamlSetsProgram(options) : yamlFleetProgram(options));
}
