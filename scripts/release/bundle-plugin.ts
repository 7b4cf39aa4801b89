/**
 * Bundles the provider plugin (or the schema printer) from a checkout's TypeScript sources into one
 * CommonJS file that needs nothing but Node.js: no node_modules, no package.json beside it.
 *
 *   node dist/scripts/release/bundle-plugin.js --root DIR --version X.Y.Z --entry plugin|schema --out FILE
 *       [--notices FILE]
 *
 * Two modules change in a bundle: the package root (no package.json to read the version from: the
 * version is written in) and the gRPC loader, whose `createRequire` from @pulumi/pulumi's directory
 * becomes static requires resolved from that same directory, so the messages and our Structs still
 * share one copy of google-protobuf. `--notices` writes the licenses of the bundled packages.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type * as Esbuild from "esbuild";
import { RPC_MODULES } from "../../provider/pulumi-rpc";

const NAMESPACE = "gitlab-mirrors-bundle";

/** What provider/pulumi-rpc.ts loads through createRequire, as static requires (esbuild bundles those). */
const RPC_MODULE = [
  "const loaded = {",
  ...Object.entries(RPC_MODULES).map(([name, [module, exported]]) => `  ${name}: require(${JSON.stringify(module)})${exported === undefined ? "" : `.${exported}`},`),
  "};",
  "exports.pulumiRpc = () => loaded;",
].join("\n");

function packageRootModule(version: string): string {
  return `exports.packageInfo = () => ({ root: __dirname, version: ${JSON.stringify(version)} });\n`;
}

function replaceModules(root: string, version: string): Esbuild.Plugin {
  const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
  return {
    name: "gitlab-mirrors-bundle",
    setup(build) {
      build.onResolve({ filter: /(^|\/)package-root$/ }, () => ({ path: "package-root", namespace: NAMESPACE }));
      build.onResolve({ filter: /(^|\/)pulumi-rpc$/ }, () => ({ path: "pulumi-rpc", namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) =>
        args.path === "package-root"
          ? { contents: packageRootModule(version), loader: "js" }
          : { contents: RPC_MODULE, loader: "js", resolveDir: pulumiDir },
      );
    },
  };
}

/**
 * The entry's source. main.ts starts the plugin when it is the main module; in a bundle every module
 * shares the bundle's `module`, so that test is defined away (below) and the entry starts it.
 */
function entryOf(kind: string, root: string): Esbuild.StdinOptions {
  const modulePath = kind === "plugin" ? "./provider/plugin/main" : "./provider/plugin/print-schema";
  const contents = kind === "plugin" ? `require(${JSON.stringify(modulePath)}).runPluginProcess();\n` : `require(${JSON.stringify(modulePath)});\n`;
  return { contents, resolveDir: root, sourcefile: `${kind}-entry.js`, loader: "js" };
}

/** The bundled packages (from node_modules) with their license texts, for the archive's notices file. */
function notices(metafile: Esbuild.Metafile, root: string): string {
  const packages = new Map<string, string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) packages.set(match[2], path.resolve(root, match[1]));
  }
  const sections = [...packages.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string; license?: string };
    const licenseFile = fs.readdirSync(dir).find((file) => /^(licen[cs]e|copying)/i.test(file));
    const text = licenseFile ? fs.readFileSync(path.join(dir, licenseFile), "utf8").trim() : `License: ${manifest.license ?? "unknown"}`;
    return `${name} ${manifest.version ?? ""} (${manifest.license ?? "unknown"})\n\n${text}\n`;
  });
  return `The provider plugin bundles these packages, under their own licenses.\n\n${sections.join(`\n${"-".repeat(72)}\n\n`)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: "string" },
      version: { type: "string" },
      entry: { type: "string" },
      out: { type: "string" },
      notices: { type: "string" },
    },
  });
  const { root, version, entry, out } = values;
  if (!root || !version || !out || (entry !== "plugin" && entry !== "schema")) {
    throw new Error("usage: bundle-plugin --root DIR --version X.Y.Z --entry plugin|schema --out FILE [--notices FILE]");
  }
  // esbuild is a build tool: from the checkout being bundled, never a dependency of the package.
  const esbuild = require(require.resolve("esbuild", { paths: [root] })) as typeof Esbuild;
  const result = await esbuild.build({
    stdin: entryOf(entry, path.resolve(root)),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    define: { "require.main": "undefined" },
    outfile: out,
    metafile: true,
    logLevel: "warning",
    plugins: [replaceModules(path.resolve(root), version)],
  });
  if (values.notices) fs.writeFileSync(values.notices, notices(result.metafile, path.resolve(root)));
}

main().catch((err: unknown) => {
  process.stderr.write(`bundle-plugin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
