/**
 * The README's "Your first stack" section, run as written: its shell and TypeScript blocks are taken
 * from README.md and run in order in one shell session (each block sees the directory and exported
 * variables the previous ones left), in a temp directory outside the repository, with the real CLI
 * and its own PULUMI_HOME. The test provides only what the section tells the reader to provide:
 * GITLAB_MIRRORS_PACKAGE (a tarball made by `npm pack` of this checkout) and, once the emulator block has
 * printed its URL, GITLAB_URL. `pulumi` is put on PATH by the section's own line, run in the clone (this
 * checkout) as the section says, so that line is tested too; it must find the CLI in $PULUMI_BIN_DIR's
 * place (the one `make setup` prepared). It runs the emulator block
 * itself (on 127.0.0.1, port 0, its defaults), in the background, as the second terminal would.
 * `@pulumi/pulumi`, TypeScript and @types/node come from the npm registry, as for a reader.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { copyOfCheckout, npmPack } from "../support/checkout-copy";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";
import { scenario } from "../support/scenario";

const execFileAsync = promisify(execFile);

interface Block {
  lang: "sh" | "ts";
  code: string;
  /** The prose between the previous block and this one. */
  lead: string;
}

/** The fenced sh and ts blocks of one README section, in order, with the prose before each. */
function sectionBlocks(markdown: string, heading: string): Block[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/^#{2,3} /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  let previousEnd = 0;
  for (const match of section.matchAll(fence)) {
    const lang = match[1];
    if (lang === "sh" || lang === "ts") {
      blocks.push({ lang, code: match[2], lead: section.slice(previousEnd, match.index) });
    }
    previousEnd = (match.index ?? 0) + match[0].length;
  }
  return blocks;
}

/** Masks URL userinfo, so that the emulator's (fake) credentials never reach the test output. */
function masked(text: string): string {
  return text.replace(/(\w+:\/\/)[^\s/@]+@/g, "$1*****@");
}

const EMULATOR_COMMAND = "npx gitlab-mirrors-emulator";
/** The block that puts the `pulumi` of a clone's `make setup` on PATH: it runs in the clone. */
const PATH_SETUP = "scripts/setup-pulumi.sh";
const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
const blocks = sectionBlocks(readme, "### Your first stack, against the local emulator");

describe("README: Your first stack, run as written", () => {
  // Each test builds on the ones before it: a step run alone first runs those.
  const { step } = scenario();
  let workDir = "";
  let projectDir = "";
  let binDir = "";
  let sessionFile = "";
  let emulator: ChildProcess | undefined;
  let gitlabUrl = "";
  const outputs: string[] = [];

  /** Runs one block in the shell session: the state file carries the directory and exports along. */
  async function runShellBlock(code: string, timeoutMs: number): Promise<string> {
    const script = [
      `source ${JSON.stringify(sessionFile)}`,
      "set -euo pipefail",
      code,
      `{ export -p; printf 'cd %q\\n' "$PWD"; } > ${JSON.stringify(sessionFile)}.next`,
    ].join("\n");
    try {
      const { stdout, stderr } = await execFileAsync("bash", ["-c", script], {
        env: {},
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      renameSync(`${sessionFile}.next`, sessionFile);
      return `${stdout}\n${stderr}`;
    } catch (err) {
      const failure = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        masked(`README block failed:\n${code}\n--- stdout\n${failure.stdout ?? ""}\n--- stderr\n${failure.stderr ?? failure.message}`),
      );
    }
  }

  /** The emulator block, in the background as the reader's second terminal; resolves with its URL. */
  function startEmulatorBlock(code: string): Promise<string> {
    const child = spawn("bash", ["-c", `source ${JSON.stringify(sessionFile)}\nexec ${code.trim()}`], {
      env: {},
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    emulator = child;
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    return new Promise((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", (line) => resolve(line.trim()));
      child.once("exit", (code) => reject(new Error(masked(`the emulator exited (${code}) before printing its URL:\n${stderr}`))));
    });
  }

  beforeAll(async () => {
    binDir = pulumiBinDirForTests();
    workDir = mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-readme-"));
    projectDir = path.join(workDir, "mirror-demo");
    mkdirSync(projectDir);

    const checkout = await copyOfCheckout(repoRoot, "gitlab-mirrors-readme-pack-");
    let tarball: string;
    try {
      tarball = path.join(workDir, (await npmPack(checkout, workDir)).filename);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }

    // The reader's shell: their usual environment (HOME, PATH, npm's settings), nothing of this
    // repository's or of a Pulumi account's, and the package to install. `pulumi` comes from the
    // section's PATH line.
    const inherited = { ...process.env };
    for (const name of Object.keys(inherited)) {
      if (/^(PULUMI_|GITLAB_|JEST_|npm_)/i.test(name)) delete inherited[name];
    }
    const session: Record<string, string> = {
      ...(inherited as Record<string, string>),
      PULUMI_HOME: path.join(workDir, "pulumi-home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      GITLAB_MIRRORS_PACKAGE: tarball,
    };
    sessionFile = path.join(workDir, "session.sh");
    const exports = Object.entries(session).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
    writeFileSync(sessionFile, [...exports, `cd ${shellQuote(projectDir)}`, ""].join("\n"), { mode: 0o600 });
  }, 300_000);

  afterAll(() => {
    if (emulator?.pid !== undefined && emulator.exitCode === null) {
      // The emulator block's process group: npx and the emulator it started.
      process.kill(-emulator.pid, "SIGTERM");
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("is a section of shell blocks with one TypeScript program, saved as index.ts", () => {
    expect(blocks.filter((block) => block.lang === "sh").length).toBeGreaterThan(3);
    const programs = blocks.filter((block) => block.lang === "ts");
    expect(programs).toHaveLength(1);
    expect(programs[0].lead).toContain("`index.ts`");
    expect(blocks.filter((block) => block.code.trim() === EMULATOR_COMMAND)).toHaveLength(1);
    // `pulumi` is put on PATH, in the clone, before any block runs a pulumi command.
    const pathIndex = blocks.findIndex((block) => block.code.includes(PATH_SETUP));
    expect(blocks.filter((block) => block.code.includes(PATH_SETUP))).toHaveLength(1);
    expect(blocks[pathIndex].code).toMatch(/^export PATH="\$\(bash scripts\/setup-pulumi\.sh 2>\/dev\/null\):\$PATH"/m);
    expect(blocks[pathIndex].lead).toContain("in the clone");
    expect(blocks.findIndex((block) => /^pulumi /m.test(block.code))).toBeGreaterThan(pathIndex);
    // What the test sets after the emulator block is what the prose asks the reader to export.
    const emulatorIndex = blocks.findIndex((block) => block.code.trim() === EMULATOR_COMMAND);
    expect(blocks[emulatorIndex + 1].lead).toContain("export GITLAB_URL=http://127.0.0.1:");
  });

  step("runs every block in order: pulumi up creates the mirror and its push lands in the target", async () => {
    const actor = () => new GitLabActor(gitlabUrl, "glpat-emulator-root-token");
    for (const block of blocks) {
      if (block.lang === "ts") {
        writeFileSync(path.join(projectDir, "index.ts"), block.code);
      } else if (block.code.includes(PATH_SETUP)) {
        // Run in the clone, as the section says; the reader's directory is unchanged after it.
        outputs.push(await runShellBlock(`pushd ${shellQuote(repoRoot)} >/dev/null\n${block.code}\npopd >/dev/null`, 900_000));
        const found = await runShellBlock('command -v pulumi; printf "%s\\n" "${PATH%%:*}"', 30_000);
        const [pulumiPath, firstOnPath] = found.trim().split("\n");
        expect(pulumiPath).toBe(path.join(firstOnPath, "pulumi"));
        expect(realpathSync(firstOnPath)).toBe(realpathSync(binDir));
      } else if (block.code.trim() === EMULATOR_COMMAND) {
        gitlabUrl = await startEmulatorBlock(block.code);
        expect(gitlabUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        writeFileSync(sessionFile, `${readFileSync(sessionFile, "utf8")}export GITLAB_URL=${shellQuote(gitlabUrl)}\n`);
      } else if (/^pulumi destroy/m.test(block.code)) {
        // Before the clean-up: the mirror exists in the emulator and pushed the source's refs.
        const mirrors = await actor().mirrors(1);
        expect(mirrors).toHaveLength(1);
        expect(mirrors[0]).toMatchObject({ enabled: true, update_status: "finished" });
        expect(await refs(`${gitlabUrl}/-/targets/backup/app.git`, "mirror-bot:emulator-target-password")).toEqual(
          await refs(`${gitlabUrl}/demo/app.git`, "root:glpat-emulator-root-token"),
        );
        outputs.push(await runShellBlock(block.code, 180_000));
      } else {
        outputs.push(await runShellBlock(block.code, 300_000));
      }
    }
    expect(await actor().mirrors(1)).toEqual([]);
  }, 900_000);

  step("shows the reader the finished push: the status and the branch and tag in the target", async () => {
    const shown = outputs.find((output) => output.includes("refs/heads/main"));
    expect(shown).toBeDefined();
    expect(shown).toContain("finished");
    expect(shown).toContain("refs/tags/v0.1.0");
  });

  step("prints no credential of the mirror or the token", async () => {
    for (const output of outputs) {
      expect(output).not.toContain("emulator-target-password");
      expect(output).not.toContain("glpat-emulator-root-token");
    }
  });
});

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The branches and tags of a repository, by name, as git ls-remote sees them. The credentials go in an
 * Authorization header set through git's environment, never on its command line.
 */
async function refs(url: string, userinfo: string): Promise<Record<string, string>> {
  const { stdout } = await execFileAsync("git", ["ls-remote", "--heads", "--tags", url], {
    timeout: 60_000,
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.extraHeader",
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(userinfo).toString("base64")}`,
    },
  });
  const found: Record<string, string> = {};
  for (const line of stdout.trim().split("\n").filter(Boolean)) {
    const [sha, name] = line.split("\t");
    found[name] = sha;
  }
  expect(Object.keys(found).length).toBeGreaterThan(0);
  return found;
}
