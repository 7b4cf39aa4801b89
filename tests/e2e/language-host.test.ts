// End to end: the locally built Pulumi CLI runs a Node.js program with a dynamic
// resource through our own stand-in language host (devtools/pulumi-language-nodejs).
// Needs PULUMI_BIN_DIR (the directory holding the built `pulumi`), Go and Node; when
// any is missing the suite fails, because a skipped proof proves nothing. `make test`
// runs it only when the stand-in is the host in use (devtools/pulumi-language-nodejs/in-use.sh).
import { execFile } from "node:child_process";
import { constants as fsConstants } from "node:fs";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { CliStack } from "../../harness/cli-stack";
import { scenario } from "../support/scenario";

const repoRoot = path.resolve(__dirname, "..", "..");
const hostSource = path.join(repoRoot, "devtools", "pulumi-language-nodejs");
const dynamicProviderShim = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Builds the stand-in host with Go. */
function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new Error(`${file} ${args.join(" ")} did not run: ${error.message}\n${stderr}`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function requireExecutable(file: string, hint: string): Promise<void> {
  try {
    await access(file, fsConstants.X_OK);
  } catch {
    throw new Error(`${file} is missing or not executable: ${hint}`);
  }
}

const program = `"use strict";
const pulumi = require("@pulumi/pulumi");

// In memory: the provider keeps nothing outside Pulumi's own state.
const provider = {
  async create(inputs) {
    return { id: "note-" + inputs.text.length, outs: { ...inputs, length: inputs.text.length } };
  },
  async diff(id, olds, news) {
    return { changes: olds.text !== news.text };
  },
  async update(id, olds, news) {
    return { outs: { ...news, length: news.text.length } };
  },
  async delete() {},
};

class Note extends pulumi.dynamic.Resource {
  constructor(name, args) {
    super(provider, name, { ...args, length: undefined });
  }
}

const text = new pulumi.Config().require("text");
if (text === "fail") {
  // Thrown on a later turn: @pulumi/pulumi 3.248's harness spends ~40 s formatting an
  // error thrown while the program module is still loading (seen in a CPU profile).
  setTimeout(() => {
    throw new Error("deliberate program failure");
  }, 100);
}
const note = new Note("greeting", { text });
exports.noteId = note.id;
exports.noteLength = note.length;
`;

describe("pulumi-language-nodejs (devtools/pulumi-language-nodejs) with the local Pulumi CLI", () => {
  const { step } = scenario();
  let workDir = "";
  // The CLI copied beside the host built here: the engine takes a language host from beside its executable first.
  let stack: CliStack;

  beforeAll(async () => {
    const binDir = process.env.PULUMI_BIN_DIR;
    if (!binDir) {
      throw new Error("PULUMI_BIN_DIR is not set: point it at the directory holding the built pulumi binary");
    }
    await requireExecutable(path.join(binDir, "pulumi"), "build the CLI with scripts/setup-pulumi.sh");
    await requireExecutable(dynamicProviderShim, "@pulumi/pulumi must be installed in node_modules");

    // Under the repository's .tmp so that the program resolves @pulumi/pulumi from node_modules.
    await mkdir(path.join(repoRoot, ".tmp"), { recursive: true });
    workDir = await mkdtemp(path.join(repoRoot, ".tmp", "language-host-e2e-"));
    const testBin = path.join(workDir, "bin");
    const projectDir = path.join(workDir, "project");
    await mkdir(testBin);
    await mkdir(projectDir);

    // A copy, not a symlink: the engine looks for bundled plugins beside its real
    // executable, and this test must exercise the host it just built.
    await copyFile(path.join(binDir, "pulumi"), path.join(testBin, "pulumi"));
    await copyFile(dynamicProviderShim, path.join(testBin, "pulumi-resource-pulumi-nodejs"));
    const build = await run("go", ["build", "-o", path.join(testBin, "pulumi-language-nodejs"), "."], hostSource,
      process.env, 300_000).catch((err: Error) => {
      throw new Error(`Go is required to build the language host: ${err.message}`);
    });
    if (build.code !== 0) {
      throw new Error(`go build of devtools/pulumi-language-nodejs failed:\n${build.stderr}`);
    }

    await writeFile(path.join(projectDir, "Pulumi.yaml"),
      "name: lh-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
    await writeFile(path.join(projectDir, "index.js"), program);

    // Backend and PULUMI_HOME beside the project, under workDir.
    stack = new CliStack({ binDir: testBin, projectDir, passphrase: "test-only-passphrase", timeoutMs: 120_000, config: { "lh-e2e:text": { value: "hello" } } });
    await stack.prepare();
  }, 420_000);

  afterAll(async () => {
    if (workDir) {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  step("creates the dynamic resource on pulumi up", async () => {
    // The CLI itself, to see its standard error apart.
    const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);

    const outputs = await stack.ok(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toEqual({ noteId: "note-5", noteLength: 5 });
  }, 120_000);

  step("previews no changes on a second run", async () => {
    const preview = await stack.run("preview");
    expect(preview.ok).toBe(true);
    expect(preview.changes).toEqual({ same: 2 });
  }, 120_000);

  step("updates in place when config changes", async () => {
    stack.config = { "lh-e2e:text": { value: "hello again" } };
    const up = await stack.run("up");
    expect(up.ok).toBe(true);
    expect(up.log).toContain("[diff: ~text]");
    expect(up.outputs).toEqual({ noteId: { value: "note-5", secret: false }, noteLength: { value: 11, secret: false } });
  }, 120_000);

  step("reports a throwing program once, through the harness, and fails the preview", async () => {
    stack.config = { "lh-e2e:text": { value: "fail" } };
    const preview = await stack.run("preview");
    expect(preview.ok).toBe(false);
    expect(preview.log).toContain("Error: deliberate program failure");
    // Exit code 32 means "already reported": the host bails instead of adding its own message.
    expect(preview.log).not.toContain("the Node.js program");
    stack.config = { "lh-e2e:text": { value: "hello again" } };
  }, 120_000);

  step("deletes everything on pulumi destroy", async () => {
    const destroy = await stack.run("destroy");
    expect(destroy.ok).toBe(true);
    expect(destroy.changes).toEqual({ delete: 2 });

    const exported = await stack.expectOk("export");
    const deployment = exported.deployment as { deployment: { resources?: unknown[] } };
    expect(deployment.deployment.resources ?? []).toEqual([]);
    const stateFile = await readFile(stack.stateFile("lh-e2e", "dev"), "utf8");
    expect(stateFile).not.toContain("pulumi-nodejs:dynamic:Resource");
  }, 120_000);
});
