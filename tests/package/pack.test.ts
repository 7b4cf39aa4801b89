/**
 * What `npm pack` makes from a fresh clone: the package builds itself (its prepare script), and holds
 * what users run (compiled provider, SDK and emulator, with declarations), the plugin manifest and
 * executable, the README and the docs it links to; no tests, scripts, examples, sources, source maps or build caches.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { copyOfCheckout, npmPack, PackResult } from "../support/checkout-copy";

const repoRoot = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};

let packed: PackResult;
let paths: Set<string>;
let copy = "";
/** A compiled script, as `make setup` leaves under dist/scripts before a reader runs `npm pack`. */
const SCRIPT_BEFORE_PACK = path.join("dist", "scripts", "demo.js");

beforeAll(async () => {
  copy = await copyOfCheckout(repoRoot, "gitlab-mirrors-pack-");
  mkdirSync(path.join(copy, "dist", "scripts"), { recursive: true });
  writeFileSync(path.join(copy, SCRIPT_BEFORE_PACK), "// compiled by make setup\n");
  packed = await npmPack(copy);
  paths = new Set(packed.files.map((file) => file.path));
}, 300_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** A path as package.json writes it ("./dist/x.js"), as the pack lists it ("dist/x.js"). */
const packPath = (target: string): string => path.posix.normalize(target).replace(/^\.\//, "");

describe("npm pack of a fresh clone", () => {
  it.each([
    "package.json",
    "README.md",
    "PulumiPlugin.yaml",
    "pulumi-resource-gitlab-mirrors",
    "docs/emulator.md",
    "docs/design.md",
    "dist/index.js",
    "dist/index.d.ts",
    "dist/provider/plugin/main.js",
    "dist/provider/plugin/server.js",
    "dist/sdk/nodejs/index.js",
    "dist/sdk/nodejs/index.d.ts",
    "dist/sdk/nodejs/plugin/index.js",
    "dist/sdk/nodejs/plugin/index.d.ts",
    "dist/sdk/nodejs/plugin/remoteMirror.js",
    "dist/provider/dynamic/handlers.js",
    "dist/provider/dynamic/serialized-provider.js",
    "dist/emulator/index.js",
    "dist/emulator/index.d.ts",
    "dist/emulator/cli.js",
  ])("contains %s", (file) => {
    expect(paths.has(file)).toBe(true);
  });

  it("contains every file package.json's main, types, bin and exports name", () => {
    const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin)];
    for (const entry of Object.values(manifest.exports)) {
      targets.push(...(typeof entry === "string" ? [entry] : Object.values(entry)));
    }
    const missing = targets.map(packPath).filter((target) => {
      if (!target.includes("*")) return !paths.has(target);
      const [prefix, suffix] = target.split("*");
      return ![...paths].some((file) => file.startsWith(prefix) && file.endsWith(suffix));
    });
    expect(missing).toEqual([]);
  });

  it("contains every file under docs/ that the README links to", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !paths.has(link))).toEqual([]);
  });

  it("ships a declaration beside every compiled module", () => {
    const modules = [...paths].filter((file) => file.endsWith(".js"));
    expect(modules.filter((file) => !paths.has(file.replace(/\.js$/, ".d.ts")))).toEqual([]);
  });

  it("holds nothing but the entry, the compiled provider, SDK, emulator and command, the plugin's manifest and executable, the README and the docs", () => {
    const outside = [...paths].filter(
      (file) =>
        !/^dist\/(provider|sdk|emulator|cli)\//.test(file) &&
        !/^dist\/index\.(js|d\.ts)$/.test(file) &&
        !/^docs\/[^/]+\.md$/.test(file) &&
        !["package.json", "README.md", "CHANGELOG.md", "LICENSE", "PulumiPlugin.yaml", "pulumi-resource-gitlab-mirrors"].includes(file),
    );
    expect(outside).toEqual([]);
  });

  it("contains the license and the changelog", () => {
    expect(paths.has("LICENSE")).toBe(true);
    expect(paths.has("CHANGELOG.md")).toBe(true);
  });

  it("leaves the compiled scripts under dist/scripts in place (the README runs them after its npm pack)", () => {
    expect(existsSync(path.join(copy, SCRIPT_BEFORE_PACK))).toBe(true);
    expect(existsSync(path.join(copy, "dist", "provider", "plugin", "main.js"))).toBe(true);
  });

  it("ships the gitlab-mirrors command its bin entry names, and the inventory reader its exports name", () => {
    expect(paths.has("dist/cli/main.js")).toBe(true);
    expect(paths.has("dist/cli/inventory/index.js")).toBe(true);
    expect(paths.has("dist/cli/inventory/index.d.ts")).toBe(true);
  });

  it("keeps the plugin's executable executable, so that the engine runs it directly", () => {
    const launcher = packed.files.find((file) => file.path === "pulumi-resource-gitlab-mirrors");
    expect((launcher?.mode ?? 0) & 0o111).toBe(0o111);
  });

  it("holds no TypeScript sources, source maps or build caches", () => {
    expect([...paths].filter((file) => /(?<!\.d)\.ts$|\.map$|\.tsbuildinfo$/.test(file))).toEqual([]);
  });

  it.each(["dist/tests/", "dist/scripts/", "dist/examples/", "tests/", "scripts/", "examples/", "devtools/"])(
    "leaves out %s",
    (prefix) => {
      expect([...paths].filter((file) => file.startsWith(prefix))).toEqual([]);
    },
  );

  it("stays small", () => {
    // A pack of everything under dist/ (tests and scripts compiled, source maps) held 357 files, 1.3 MB, when
    // what ships held about 200; with ProjectMirrors, the gitlab-mirrors command and the plugin's TypeScript
    // SDK it holds about 260.
    expect(packed.entryCount).toBeLessThan(300);
    // 920 KB with the README's detail moved into docs/ (which ships, since the README links it).
    expect(packed.unpackedSize).toBeLessThan(1_000_000);
  });
});
