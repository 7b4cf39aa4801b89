/**
 * A real `pulumi up` killed with SIGKILL midway, on the plugin path (YAML program) and on the dynamic path
 * (a Node.js program), then what the README tells a user to do: `pulumi cancel`, `gitlab-mirrors recover
 * --yes`, `pulumi up`. GitLab must end with exactly the declared mirrors (none duplicated, none orphaned),
 * the state with each of them once, and `destroy` must leave none.
 *
 * The kill lands midway deterministically through a slow proxy in front of the emulator: the run creates 3
 * at a time; the proxy forwards the first 4 creates at once but answers each only 2 s later, and holds the
 * later ones without forwarding them. The kill comes once 6 creates have reached the proxy: 3 are done and
 * recorded; the 4th is in GitLab but not in the state (recover imports it); the 5th and 6th are pending
 * creates GitLab never received (recover clears them); the 7th was never started.
 */
import { ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { CliStack } from "../../harness/cli-stack";
import { killMidway } from "../support/process-tree";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";

jest.setTimeout(600_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const PROJECT_ID = 1;
const COUNT = 7;
const FORWARDED_CREATES = 4;
const KILL_AFTER_CREATES = 6;
const ANSWER_DELAY_MS = 2000;
const cliMain = path.join(repoRoot, "dist", "cli", "main.js");
/** The target password: a secret that no output may show. */
const TARGET_PASSWORD = "recover-target-pw-5f1e";

function urlPrefix(gitlab: RunningEmulator): string {
  // Targets that are never pushed to (no sync): only the mirrors' records matter here.
  return `${gitlab.baseUrl.replace("://", `://mirror-bot:${TARGET_PASSWORD}@`)}/-/targets/recover/m`;
}

/**
 * A proxy in front of the emulator that, while `slow`, forwards the first FORWARDED_CREATES creates at once but
 * answers them ANSWER_DELAY_MS later, and holds later creates without forwarding them. Otherwise it passes through.
 */
class SlowCreatesProxy {
  creates = 0;
  slow = true;
  private readonly server: http.Server;

  constructor(private readonly upstream: URL) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const isCreate = req.method === "POST" && /\/projects\/[^/]+\/remote_mirrors$/.test((req.url ?? "").split("?")[0]);
        const slow = this.slow && isCreate;
        if (isCreate) this.creates += 1;
        if (slow && this.creates > FORWARDED_CREATES) return; // held, never forwarded
        const forward = http.request(
          { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: this.upstream.host } },
          (upstreamRes) => {
            const out: Buffer[] = [];
            upstreamRes.on("data", (c: Buffer) => out.push(c));
            upstreamRes.on("end", () => {
              const answer = (): void => {
                if (res.destroyed) return;
                res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
                res.end(Buffer.concat(out));
              };
              if (slow) setTimeout(answer, ANSWER_DELAY_MS);
              else answer();
            });
          },
        );
        forward.on("error", () => res.destroy());
        forward.end(Buffer.concat(chunks));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function yamlProgram(): string {
  const resources = Array.from(
    { length: COUNT },
    (_, i) => `  m${i}:\n    type: gitlab-mirrors:index:RemoteMirror\n    properties:\n      project: ${PROJECT_ID}\n      url: \${urlPrefix}${i}.git\n`,
  ).join("");
  return `name: recover-plugin\nruntime: yaml\npackages:\n  gitlab-mirrors: ${repoRoot}\nconfig:\n  urlPrefix:\n    type: string\nresources:\n${resources}`;
}

/** A Node.js project running the compiled test program, resolving its packages from this checkout. */
function nodeProject(): Record<string, string> {
  return {
    "Pulumi.yaml": "name: recover-dynamic\nruntime: nodejs\n",
    "package.json": JSON.stringify({ name: "recover-dynamic", main: "index.js" }),
    "index.js": `module.exports = require(${JSON.stringify(path.join(repoRoot, "dist", "tests", "e2e", "programs", "numbered-mirrors.js"))});\n`,
  };
}




/**
 * Starts `pulumi up` in its own process group, waits until the proxy has seen KILL_AFTER_CREATES creates, then
 * SIGKILLs the group and every process the run started (the plugins outlive a kill of the group).
 */
async function killedUp(stack: CliStack, proxy: SlowCreatesProxy): Promise<{ output: string; processes: number }> {
  let output = "";
  const child: ChildProcess = spawn("pulumi", ["up", "--yes", "--skip-preview", "--parallel", "3", "--non-interactive"], {
    cwd: stack.projectDir,
    env: stack.cliEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  // Nothing the killed run started lingers (the engine's plugins and language host included).
  const started = await killMidway(child, async () => proxy.creates >= KILL_AFTER_CREATES, `${KILL_AFTER_CREATES} creates`, {
    whyEnded: () => output.slice(-4000),
  });
  return { output, processes: started.length };
}

function runRecover(stack: CliStack, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliMain, "recover", ...args], { cwd: stack.projectDir, env: stack.cliEnv() }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

interface MirrorResource {
  urn: string;
  id: string;
}

async function stateMirrors(stack: CliStack): Promise<MirrorResource[]> {
  const { resources } = await stack.exportState();
  return resources
    .filter((r) => r.type === "gitlab-mirrors:index:RemoteMirror" || r.type === "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror")
    .map((r) => ({ urn: r.urn, id: r.id ?? "" }));
}

describe.each([
  ["plugin path (YAML program)", "plugin"],
  ["dynamic path (Node.js program)", "dynamic"],
] as const)("pulumi up killed midway, %s: cancel + gitlab-mirrors recover --yes + up converge", (_title, form) => {
  let gitlab: RunningEmulator;
  let proxy: SlowCreatesProxy;
  let actor: GitLabActor;
  let stack: CliStack;

  beforeAll(async () => {
    gitlab = await startEmulator();
    proxy = new SlowCreatesProxy(new URL(gitlab.baseUrl));
    const baseUrl = await proxy.listen();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    if (form === "plugin") {
      stack = new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": yamlProgram() } });
      await stack.init("dev", {
        "gitlab-mirrors:baseUrl": { value: baseUrl },
        "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
        urlPrefix: { value: urlPrefix(gitlab), secret: true },
      });
    } else {
      stack = new CliStack({ binDir: pulumiBinDirForTests(), files: nodeProject() });
      fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(stack.projectDir, "node_modules"));
      await stack.init("dev", {
        "gitlab:baseUrl": { value: baseUrl },
        "gitlab:token": { value: ROOT_TOKEN, secret: true },
        "mirrors:count": { value: String(COUNT) },
        "mirrors:project": { value: String(PROJECT_ID) },
        "mirrors:urlPrefix": { value: urlPrefix(gitlab), secret: true },
      });
    }
  });

  afterAll(async () => {
    stack?.dispose();
    await proxy?.close();
    await gitlab?.close();
  });

  test("GitLab ends with exactly the declared mirrors, each once in the state, and destroy leaves none", async () => {
    const killed = await killedUp(stack, proxy);
    // The engine's provider plugin and language host at least were found and ended.
    expect(killed.processes).toBeGreaterThanOrEqual(2);
    proxy.slow = false;
    const afterKill = await actor.mirrors(PROJECT_ID);
    expect(afterKill.length).toBe(4);

    // What the engine asks for first: the file backend's lock.
    await stack.ok(["cancel", "--yes"]);

    const dryRun = await runRecover(stack, []);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("nothing changed (run again with --yes to apply)");
    const pendingBefore = JSON.parse((await stack.exportState()).text).deployment.pending_operations ?? [];
    expect(pendingBefore.length).toBeGreaterThan(0);

    const recovered = await runRecover(stack, ["--yes"]);
    expect({ code: recovered.code, stderr: recovered.stderr }).toEqual({ code: 0, stderr: "" });
    const imports = recovered.stdout.split("\n").filter((l) => l.trim().startsWith("import "));
    const clears = recovered.stdout.split("\n").filter((l) => l.trim().startsWith("clear "));
    // The one GitLab made for the killed run is imported; the two it never received are cleared.
    expect({ imports: imports.length, clears: clears.length }).toEqual({ imports: 1, clears: 2 });
    expect(recovered.stdout).toContain("recover: imported 1, cleared 2");
    expect(JSON.parse((await stack.exportState()).text).deployment.pending_operations ?? []).toEqual([]);

    const up = await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(up.log).not.toContain("already been taken");
    const mirrors = await actor.mirrors(PROJECT_ID);
    const prefix = `${gitlab.baseUrl.replace("://", "://*****:*****@")}/-/targets/recover/m`;
    expect(mirrors.map((m) => m.url).sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `${prefix}${i}.git`).sort());
    const state = await stateMirrors(stack);
    expect(state.map((r) => r.id).sort()).toEqual(mirrors.map((m) => `${PROJECT_ID}:${m.id}`).sort());
    // The next up has nothing to do.
    const again = await stack.ok(["preview", "--diff"]);
    expect(again.stdout).not.toMatch(/\b(create|update|replace|delete)\b.*RemoteMirror|\+ +m\d/);

    for (const text of [recovered.stdout, recovered.stderr, dryRun.stdout, up.log]) expect(text).not.toContain(TARGET_PASSWORD);

    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
  });
});
