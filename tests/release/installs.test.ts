/**
 * The release artifacts installed the way users install a Pulumi provider, each route with a fresh
 * PULUMI_HOME, in temp directories outside the checkout, and nothing of the checkout on PATH, NODE_PATH
 * or PYTHONPATH, against an emulator on 127.0.0.1:
 *
 *   1. `pulumi plugin install resource gitlab-mirrors <version> --file <linux-amd64 archive>`, then a YAML
 *      program that names only the resource type: up, preview, destroy, with no Node.js on PATH at all;
 *   2. the wheel in a fresh venv, and a Python inline program (Automation API) whose plugin the engine
 *      downloads by itself from a local server of release/<version>/ (PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES);
 *   3. the npm tarball in an empty project, and a TypeScript program using the package's dynamic
 *      RemoteMirror: up, preview, destroy; and one using the plugin's (`gitlab-mirrors/plugin`), whose plugin
 *      the engine downloads by itself as in route 2;
 *   and the Go SDK's module zip through `go get` from a module proxy directory, with a program that builds.
 *
 * The artifacts come from `scripts/dist.sh <test version>` (make dist), run once here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { GitLabActor, pulumiBinDirForTests } from "../e2e/support";
import { buildRelease, pluginArchive, releaseDir, run, serveDirectory, TEST_VERSION, userEnv } from "./support";

jest.setTimeout(900_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const TARGET = DEFAULT_SEED.targets![0];
const PROJECT_ID = 1;
const PASSPHRASE = "gitlab-mirrors-release-test";

let binDir = "";
let gitlab: RunningEmulator;
let actor: GitLabActor;
let scratch = "";

function targetUrl(): string {
  const base = new URL(gitlab.baseUrl);
  return `${base.protocol}//${TARGET.username}:${TARGET.password}@${base.host}/-/targets/${TARGET.path}.git`;
}

/** A fresh directory for one route: its project, its PULUMI_HOME and its file backend. */
function routeDirs(name: string): { project: string; home: string; backend: string } {
  const dirs = { project: path.join(scratch, name, "project"), home: path.join(scratch, name, "pulumi-home"), backend: path.join(scratch, name, "backend") };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  return dirs;
}

beforeAll(async () => {
  binDir = pulumiBinDirForTests();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-release-"));
  await buildRelease();
  gitlab = await startEmulator();
  actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
});

afterAll(async () => {
  await gitlab?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  // Each route leaves the project as it found it; a failed route's mirrors must not confuse the next.
  for (const mirror of await actor.mirrors(PROJECT_ID)) await actor.api("DELETE", `/projects/${PROJECT_ID}/remote_mirrors/${mirror.id}`);
});

test("the release holds every artifact, each listed in SHA256SUMS with its digest", async () => {
  const sums = fs.readFileSync(path.join(releaseDir, "SHA256SUMS"), "utf8").trim().split("\n");
  const listed = sums.map((line) => line.split(/\s+\*?/)[1]).sort();
  expect(listed).toEqual(fs.readdirSync(releaseDir).filter((f) => f !== "SHA256SUMS").sort());
  expect(listed).toEqual(
    expect.arrayContaining([
      `gitlab-mirrors-${TEST_VERSION}.tgz`,
      `pulumi_gitlab_mirrors-${TEST_VERSION}-py3-none-any.whl`,
      `pulumi_gitlab_mirrors-${TEST_VERSION}.tar.gz`,
      `gitlab-mirrors-sdk-go-v${TEST_VERSION}.zip`,
      "schema.json",
      ...["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"].map((p) => path.basename(pluginArchive(p))),
    ]),
  );
  await run("sha256sum", ["--check", "--quiet", "SHA256SUMS"], { cwd: releaseDir, env: process.env });
  const schema = JSON.parse(fs.readFileSync(path.join(releaseDir, "schema.json"), "utf8")) as Record<string, unknown>;
  expect(schema).toMatchObject({
    name: "gitlab-mirrors",
    version: TEST_VERSION,
    publisher: "gitlab-mirrors",
    repository: "https://github.com/gitlab-mirrors/gitlab-mirrors",
    license: "Apache-2.0",
    pluginDownloadURL: "https://github.com/gitlab-mirrors/gitlab-mirrors/releases/download/v${VERSION}",
  });
});

test("route 1: pulumi plugin install --file, then a YAML program naming only the type: up, preview, destroy, without Node.js", async () => {
  const dirs = routeDirs("yaml");
  // PATH is the CLI's directory and nothing else: no node, npm or python can be found.
  const env = userEnv([], {
    PATH: binDir,
    PULUMI_HOME: dirs.home,
    PULUMI_BACKEND_URL: `file://${dirs.backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });
  const pulumi = (args: string[], input?: string) => run(path.join(binDir, "pulumi"), [...args, "--non-interactive"], { cwd: dirs.project, env, input });

  await pulumi(["plugin", "install", "resource", "gitlab-mirrors", TEST_VERSION, "--file", pluginArchive()]);
  const plugins = JSON.parse((await pulumi(["plugin", "ls", "--json"])).stdout) as Array<{ name: string; kind: string; version: string }>;
  expect(plugins.map((p) => `${p.kind}/${p.name}@${p.version}`)).toContain(`resource/gitlab-mirrors@${TEST_VERSION}`);

  fs.writeFileSync(
    path.join(dirs.project, "Pulumi.yaml"),
    [
      "name: release-yaml",
      "runtime: yaml",
      "config:",
      "  targetUrl:",
      "    type: string",
      "resources:",
      "  mirror:",
      "    type: gitlab-mirrors:index:RemoteMirror",
      "    properties:",
      "      project: demo/app",
      "      url: ${targetUrl}",
      "outputs:",
      "  mirrorId: ${mirror.mirrorId}",
      "",
    ].join("\n"),
  );
  await pulumi(["stack", "init", "dev"]);
  await pulumi(["config", "set", "gitlab-mirrors:baseUrl"], gitlab.baseUrl);
  await pulumi(["config", "set", "--secret", "gitlab-mirrors:token"], ROOT_TOKEN);
  await pulumi(["config", "set", "--secret", "targetUrl"], targetUrl());

  await pulumi(["up", "--yes", "--skip-preview"]);
  const mirrors = await actor.mirrors(PROJECT_ID);
  expect(mirrors).toHaveLength(1);
  expect(JSON.parse((await pulumi(["stack", "output", "mirrorId", "--json"])).stdout)).toBe(mirrors[0].id);
  // The only plugin the engine could run: the installed single executable (no node on PATH, no acquisition).
  const installed = path.join(dirs.home, "plugins", `resource-gitlab-mirrors-v${TEST_VERSION}`);
  expect(fs.readdirSync(installed).filter((f) => !f.startsWith("."))).toEqual(
    expect.arrayContaining(["pulumi-resource-gitlab-mirrors", "LICENSE", "THIRD-PARTY-NOTICES.txt"]),
  );

  await pulumi(["preview", "--expect-no-changes"]);
  await pulumi(["destroy", "--yes", "--skip-preview"]);
  expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
});

test("route 2: the wheel in a fresh venv; the engine downloads the plugin itself from a local mirror of the release", async () => {
  const dirs = routeDirs("python");
  const server = await serveDirectory(releaseDir);
  try {
    const venv = path.join(scratch, "python", "venv");
    const shellEnv = userEnv([binDir], { PULUMI_HOME: dirs.home });
    await run("python3", ["-m", "venv", venv], { cwd: dirs.project, env: shellEnv });
    const wheel = path.join(releaseDir, `pulumi_gitlab_mirrors-${TEST_VERSION}-py3-none-any.whl`);
    await run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", wheel], { cwd: dirs.project, env: shellEnv, timeoutMs: 600_000 });

    // The program is copied out of the checkout: Python puts a script's own directory on sys.path.
    const program = path.join(dirs.project, "python_inline.py");
    fs.copyFileSync(path.join(__dirname, "programs", "python_inline.py"), program);
    const env = userEnv([path.join(venv, "bin"), binDir], {
      PULUMI_HOME: dirs.home,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      // A user's mirror of the project's releases, as a firewalled site would point the engine at one.
      PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^https://github\\.com/gitlab-mirrors/gitlab-mirrors/releases/download/=${server.url}/`,
      GITLAB_BASE_URL: gitlab.baseUrl,
      GITLAB_TOKEN: ROOT_TOKEN,
      TARGET_URL: targetUrl(),
    });
    const { stdout } = await run(path.join(venv, "bin", "python"), [program, dirs.project, dirs.backend], { cwd: dirs.project, env, timeoutMs: 600_000 });
    const result = JSON.parse(stdout.trim().split("\n").pop()!) as {
      sdkFile: string;
      up: { changes: Record<string, number>; mirrorId: number };
      preview: Record<string, number>;
      destroy: Record<string, number>;
    };

    expect(result.sdkFile.startsWith(venv)).toBe(true);
    expect(server.requests).toContain(path.basename(pluginArchive()));
    expect(fs.existsSync(path.join(dirs.home, "plugins", `resource-gitlab-mirrors-v${TEST_VERSION}`, "pulumi-resource-gitlab-mirrors"))).toBe(true);
    expect(result.up.changes).toMatchObject({ create: 2 });
    expect(typeof result.up.mirrorId).toBe("number");
    expect(Object.keys(result.preview).filter((kind) => kind !== "same")).toEqual([]);
    expect(result.destroy).toMatchObject({ delete: 2 });
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
  } finally {
    await server.close();
  }
});

/**
 * An empty npm project (as a user starts one) whose TypeScript program declares one RemoteMirror from
 * `importFrom`, with the release's npm tarball, @pulumi/pulumi and TypeScript installed.
 */
async function npmProject(name: string, projectDir: string, importFrom: string, env: NodeJS.ProcessEnv): Promise<void> {
  const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
  const files: Record<string, string> = {
    "Pulumi.yaml": `name: ${name}\nruntime: nodejs\n`,
    "package.json": JSON.stringify({ name, private: true, main: "index.ts" }),
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true }, files: ["index.ts"] }),
    "index.ts": [
      'import * as pulumi from "@pulumi/pulumi";',
      `import { RemoteMirror } from "${importFrom}";`,
      "",
      'const mirror = new RemoteMirror("mirror", { project: "demo/app", url: new pulumi.Config().requireSecret("targetUrl") });',
      "export const mirrorId = mirror.mirrorId;",
      "",
    ].join("\n"),
  };
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(projectDir, file), text);
  const tarball = path.join(releaseDir, `gitlab-mirrors-${TEST_VERSION}.tgz`);
  await run("npm", ["install", "--no-fund", "--no-audit", tarball, `@pulumi/pulumi@${lock.packages["node_modules/@pulumi/pulumi"].version}`, "typescript@5", "@types/node@20"], {
    cwd: projectDir,
    env,
    timeoutMs: 600_000,
  });
}

test("route 3: the npm tarball in an empty project, and a TypeScript program using its RemoteMirror: up, preview, destroy", async () => {
  const dirs = routeDirs("npm");
  const env = userEnv([binDir], {
    PULUMI_HOME: dirs.home,
    PULUMI_BACKEND_URL: `file://${dirs.backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
  });
  await npmProject("release-npm", dirs.project, "gitlab-mirrors", env);
  const installed = JSON.parse(fs.readFileSync(path.join(dirs.project, "node_modules", "gitlab-mirrors", "package.json"), "utf8")) as { version: string };
  expect(installed.version).toBe(TEST_VERSION);

  const pulumi = (args: string[], input?: string) => run(path.join(binDir, "pulumi"), [...args, "--non-interactive"], { cwd: dirs.project, env, input });
  await pulumi(["stack", "init", "dev"]);
  await pulumi(["config", "set", "gitlab:baseUrl"], gitlab.baseUrl);
  await pulumi(["config", "set", "--secret", "gitlab:token"], ROOT_TOKEN);
  await pulumi(["config", "set", "--secret", "targetUrl"], targetUrl());
  await pulumi(["up", "--yes", "--skip-preview"]);
  const mirrors = await actor.mirrors(PROJECT_ID);
  expect(mirrors).toHaveLength(1);
  expect(JSON.parse((await pulumi(["stack", "output", "mirrorId", "--json"])).stdout)).toBe(mirrors[0].id);
  await pulumi(["preview", "--expect-no-changes"]);
  await pulumi(["destroy", "--yes", "--skip-preview"]);
  expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
});

test("route 3, through the plugin: the npm tarball's gitlab-mirrors/plugin RemoteMirror, its plugin downloaded by the engine from a local mirror of the release", async () => {
  const dirs = routeDirs("npm-plugin");
  const server = await serveDirectory(releaseDir);
  try {
    const env = userEnv([binDir], {
      PULUMI_HOME: dirs.home,
      PULUMI_BACKEND_URL: `file://${dirs.backend}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES: `^https://github\\.com/gitlab-mirrors/gitlab-mirrors/releases/download/=${server.url}/`,
    });
    await npmProject("release-npm-plugin", dirs.project, "gitlab-mirrors/plugin", env);

    const pulumi = (args: string[], input?: string) => run(path.join(binDir, "pulumi"), [...args, "--non-interactive"], { cwd: dirs.project, env, input });
    await pulumi(["stack", "init", "dev"]);
    await pulumi(["config", "set", "gitlab-mirrors:baseUrl"], gitlab.baseUrl);
    await pulumi(["config", "set", "--secret", "gitlab-mirrors:token"], ROOT_TOKEN);
    await pulumi(["config", "set", "--secret", "targetUrl"], targetUrl());
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(server.requests).toContain(path.basename(pluginArchive()));
    expect(fs.existsSync(path.join(dirs.home, "plugins", `resource-gitlab-mirrors-v${TEST_VERSION}`, "pulumi-resource-gitlab-mirrors"))).toBe(true);
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    const state = JSON.parse((await pulumi(["stack", "export"])).stdout) as { deployment: { resources: Array<{ type: string; id?: string }> } };
    expect(state.deployment.resources.find((r) => r.type === "gitlab-mirrors:index:RemoteMirror")?.id).toBe(`${PROJECT_ID}:${mirrors[0].id}`);
    await pulumi(["preview", "--expect-no-changes"]);
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
  } finally {
    await server.close();
  }
});

test("the Go SDK's module zip serves `go get <module>@v<version>` from a module proxy directory, and a program builds with it", async () => {
  const work = path.join(scratch, "go");
  const module = "github.com/gitlab-mirrors/gitlab-mirrors/sdk/go";
  const version = `v${TEST_VERSION}`;
  // The layout a module proxy serves (and GOPROXY=file:// reads): list, .info, .mod and .zip under <module>/@v.
  const proxy = path.join(work, "proxy");
  const versions = path.join(proxy, module, "@v");
  fs.mkdirSync(versions, { recursive: true });
  const zip = path.join(releaseDir, `gitlab-mirrors-sdk-go-${version}.zip`);
  fs.copyFileSync(zip, path.join(versions, `${version}.zip`));
  const goMod = await run("unzip", ["-p", zip, `${module}@${version}/go.mod`], { cwd: work, env: process.env });
  fs.writeFileSync(path.join(versions, `${version}.mod`), goMod.stdout);
  fs.writeFileSync(path.join(versions, `${version}.info`), JSON.stringify({ Version: version }));
  fs.writeFileSync(path.join(versions, "list"), `${version}\n`);

  const app = path.join(work, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "go.mod"), "module example.com/app\n\ngo 1.25.11\n");
  fs.writeFileSync(
    path.join(app, "main.go"),
    [
      "package main",
      "",
      "import (",
      '\t"github.com/gitlab-mirrors/gitlab-mirrors/sdk/go/gitlabmirrors"',
      '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
      ")",
      "",
      "func main() {",
      "\tpulumi.Run(func(ctx *pulumi.Context) error {",
      '\t\t_, err := gitlabmirrors.NewRemoteMirror(ctx, "mirror", &gitlabmirrors.RemoteMirrorArgs{Project: pulumi.String("demo/app"), Url: pulumi.ToSecret(pulumi.String("https://example.com/x.git")).(pulumi.StringOutput)})',
      "\t\treturn err",
      "\t})",
      "}",
      "",
    ].join("\n"),
  );
  // A module cache of this test's own, so that no copy of this test version left by an earlier (or a concurrent)
  // run can be read: the module comes from the proxy directory above, its dependencies from the machine's
  // module cache read as a proxy (no download), then the upstream proxy. -trimpath lets the build cache, which
  // is shared, hold the Pulumi SDK compiled whatever the module cache's path.
  const [upstream, machineModCache] = (await run("go", ["env", "GOPROXY", "GOMODCACHE"], { cwd: app, env: process.env })).stdout.trim().split("\n");
  const env = userEnv([], {
    GOMODCACHE: path.join(work, "modcache"),
    GOPROXY: `file://${proxy},file://${path.join(machineModCache, "cache", "download")},${upstream}`,
    GONOSUMDB: "github.com/gitlab-mirrors",
    GOFLAGS: "-mod=mod -modcacherw -trimpath",
    GOWORK: "off",
  });
  try {
    await run("go", ["get", `${module}@${version}`], { cwd: app, env, timeoutMs: 600_000 });
    const listed = JSON.parse((await run("go", ["list", "-m", "-json", module], { cwd: app, env })).stdout) as { Version: string; Dir: string };
    expect(listed.Version).toBe(version);
    expect(JSON.parse(fs.readFileSync(path.join(listed.Dir, "gitlabmirrors", "pulumi-plugin.json"), "utf8"))).toMatchObject({ name: "gitlab-mirrors", version: TEST_VERSION });
    await run("go", ["build", "-o", path.join(work, "app-binary"), "."], { cwd: app, env, timeoutMs: 600_000 });
    expect(fs.existsSync(path.join(work, "app-binary"))).toBe(true);
  } finally {
    fs.rmSync(path.join(work, "modcache"), { recursive: true, force: true });
  }
});
