// End to end: the locally built Pulumi CLI runs a Node.js program with a dynamic
// resource through our own stand-in language host (devtools/pulumi-language-nodejs).
// Needs PULUMI_BIN_DIR (the directory holding the built `pulumi`), Go and Node; when
// any is missing the suite fails, because a skipped proof proves nothing. `make test`
// runs it only when the stand-in is the host in use (devtools/pulumi-language-nodejs/in-use.sh).
import { execFile } from "node:child_process";
import { constants as fsConstants } from "node:fs";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { scenario } from "../support/scenario";

const repoRoot = path.resolve(__dirname, "..", "..");
const hostSource = path.join(repoRoot, "devtools", "pulumi-language-nodejs");
const dynamicProviderShim = path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs");

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

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
  let projectDir = "";
  let pulumi = "";
  let env: NodeJS.ProcessEnv = {};

  const cli = (args: string[]): Promise<Outcome> => run(pulumi, args, projectDir, env, 120_000);

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
    projectDir = path.join(workDir, "project");
    await mkdir(testBin);
    await mkdir(projectDir);
    await mkdir(path.join(workDir, "state"));

    // A copy, not a symlink: the engine looks for bundled plugins beside its real
    // executable, and this test must exercise the host it just built.
    pulumi = path.join(testBin, "pulumi");
    await copyFile(path.join(binDir, "pulumi"), pulumi);
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

    env = {
      ...process.env,
      PATH: `${testBin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: path.join(workDir, "pulumi-home"),
      PULUMI_CONFIG_PASSPHRASE: "test-only-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    for (const args of [
      ["login", `file://${path.join(workDir, "state")}`],
      ["stack", "init", "dev"],
      ["config", "set", "text", "hello"],
    ]) {
      const outcome = await cli(args);
      if (outcome.code !== 0) {
        throw new Error(`pulumi ${args.join(" ")} failed:\n${outcome.stdout}\n${outcome.stderr}`);
      }
    }
  }, 420_000);

  afterAll(async () => {
    if (workDir) {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  step("creates the dynamic resource on pulumi up", async () => {
    const up = await cli(["up", "--yes", "--skip-preview"]);
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);

    const outputs = await cli(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toEqual({ noteId: "note-5", noteLength: 5 });
  }, 120_000);

  step("previews no changes on a second run", async () => {
    const preview = await cli(["preview", "--expect-no-changes"]);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain("2 unchanged");
  }, 120_000);

  step("updates in place when config changes", async () => {
    expect((await cli(["config", "set", "text", "hello again"])).code).toBe(0);
    const up = await cli(["up", "--yes", "--skip-preview"]);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain("[diff: ~text]");

    const outputs = await cli(["stack", "output", "--json"]);
    expect(JSON.parse(outputs.stdout)).toEqual({ noteId: "note-5", noteLength: 11 });
  }, 120_000);

  step("reports a throwing program once, through the harness, and fails the preview", async () => {
    expect((await cli(["config", "set", "text", "fail"])).code).toBe(0);
    const preview = await cli(["preview"]);
    expect(preview.code).not.toBe(0);
    const output = preview.stdout + preview.stderr;
    expect(output).toContain("Error: deliberate program failure");
    // Exit code 32 means "already reported": the host bails instead of adding its own message.
    expect(output).not.toContain("the Node.js program");
    expect((await cli(["config", "set", "text", "hello again"])).code).toBe(0);
  }, 120_000);

  step("deletes everything on pulumi destroy", async () => {
    const destroy = await cli(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.code).toBe(0);
    expect(destroy.stdout).toContain("2 deleted");

    const exported = await cli(["stack", "export"]);
    const deployment = JSON.parse(exported.stdout) as { deployment: { resources?: unknown[] } };
    expect(deployment.deployment.resources ?? []).toEqual([]);
    const stateFile = await readFile(path.join(workDir, "state", ".pulumi", "stacks", "lh-e2e", "dev.json"), "utf8");
    expect(stateFile).not.toContain("pulumi-nodejs:dynamic:Resource");
  }, 120_000);
});
