/**
 * Bad inputs fail before anything reaches GitLab, with a message that names the property,
 * when run through the real pulumi CLI.
 */
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { AutomationStack } from "../../harness/automation-stack";
import { CliStack } from "../../harness/cli-stack";
import { GitLabActor, pulumiBinDirForTests, repoRoot } from "./support";

jest.setTimeout(300_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const PROGRAM = path.join(repoRoot, "dist", "tests", "e2e", "programs", "mirror-from-config.js");
const HOST_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

describe("bad inputs through the real pulumi CLI", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  const stacks: AutomationStack[] = [];
  const yamlStacks: CliStack[] = [];

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
  });

  afterAll(async () => {
    for (const stack of stacks) stack.dispose();
    for (const stack of yamlStacks) stack.dispose();
    await gitlab?.close();
  });

  function stackFor(url: string, args: object, connection = true): AutomationStack {
    const config: AutomationStack["config"] = {
      "mirror:url": { value: url, secret: true },
      "mirror:args": { value: JSON.stringify({ project: 1, ...args }) },
    };
    if (connection) {
      config["gitlab:baseUrl"] = { value: gitlab.baseUrl };
      config["gitlab:token"] = { value: ROOT_TOKEN, secret: true };
    }
    const stack = new AutomationStack(PROGRAM, "bad-inputs", config, pulumiBinDirForTests());
    stacks.push(stack);
    return stack;
  }

  /** The same mirror as a YAML program served by the provider plugin. */
  async function yamlStackFor(url: string, args: object): Promise<CliStack> {
    const properties = JSON.stringify({ project: 1, ...args, url: "${url}" });
    const stack = new CliStack({
      binDir: pulumiBinDirForTests(),
      files: {
      "Pulumi.yaml": `name: bad-inputs-yaml\nruntime: yaml\npackages:\n  gitlab-mirrors: ${repoRoot}\nconfig:\n  url:\n    type: string\nresources:\n  mirror:\n    type: gitlab-mirrors:index:RemoteMirror\n    properties: ${properties}\n`,
      },
    });
    yamlStacks.push(stack);
    await stack.init("dev", {
      url: { value: url, secret: true },
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
    });
    return stack;
  }

  /** The distinct reasons of the engine's check failures ("... has a problem: <reason>"). */
  function problems(text: string): string[] {
    // Runs through the Automation API also print the error JSON-escaped: a reason ends at a line break.
    const reasons = [...text.matchAll(/has a problem: (.+)$/gm)].map((match) => match[1].split("\\n")[0].replaceAll('\\"', '"').trim());
    return [...new Set(reasons)].sort();
  }

  const target = "https://mirror.example.com/group/app.git";
  test.each([
    ["a malformed URL", "not a url", {}, ["url"]],
    ["a scheme GitLab does not mirror to", "ftp://bot:hunter2-secret@mirror.example.com/app.git", {}, ["url", "ftp"]],
    ["scp-style SSH", "git@mirror.example.com:group/app.git", {}, ["url", "ssh://"]],
    ["an invalid branch regex", target, { mirrorBranchRegex: "feature/(" }, ["mirrorBranchRegex"]],
    ["a branch regex together with onlyProtectedBranches", target,
      { onlyProtectedBranches: true, mirrorBranchRegex: "^main$" }, ["mirrorBranchRegex", "onlyProtectedBranches"]],
    ["more than 10 host keys", "ssh://git@mirror.example.com/app.git",
      { hostKeys: Array.from({ length: 11 }, () => `ssh-ed25519 ${HOST_KEY}`) }, ["hostKeys", "10"]],
  ])("%s fails at preview and up, naming the property, on both paths alike, and creates nothing", async (_title, url, args, words) => {
    const stack = stackFor(url, args);
    await actor.resetCounters();
    for (const operation of ["preview", "up"] as const) {
      const result = await stack.run(operation);
      expect(result.ok).toBe(false);
      for (const word of words) expect(result.error).toContain(word);
      expect(result.log).not.toContain("hunter2-secret");
      expect(result.log).not.toContain(ROOT_TOKEN);
    }
    const dynamicProblems = problems((await stack.run("preview")).log);
    expect(dynamicProblems.length).toBeGreaterThan(0);

    // The provider plugin (any language) fails the same preview with the same messages.
    const yaml = await yamlStackFor(url, args);
    const result = await yaml.pulumi(["preview"]);
    expect(result.code).not.toBe(0);
    expect(problems(result.log)).toEqual(dynamicProblems);
    expect(result.log).not.toContain("hunter2-secret");
    expect(result.log).not.toContain(ROOT_TOKEN);

    expect(await actor.mirrors(1)).toEqual([]);
    const counters = await actor.counters();
    expect(Object.keys(counters.routes).filter((route) => route.startsWith("POST"))).toEqual([]);
  });

  test("missing connection config fails at preview, naming the config keys", async () => {
    const saved = { base: process.env.GITLAB_BASE_URL, token: process.env.GITLAB_TOKEN };
    delete process.env.GITLAB_BASE_URL;
    delete process.env.GITLAB_TOKEN;
    try {
      const stack = stackFor(target, {}, false);
      const result = await stack.run("preview");
      expect(result.ok).toBe(false);
      expect(result.error).toContain("gitlab:baseUrl");
      expect(result.error).toContain("GITLAB_BASE_URL");
    } finally {
      if (saved.base !== undefined) process.env.GITLAB_BASE_URL = saved.base;
      if (saved.token !== undefined) process.env.GITLAB_TOKEN = saved.token;
    }
  });
});
