/**
 * The repository as a Pulumi provider plugin, consumed by YAML programs through the real CLI and
 * `pulumi-language-yaml`: the whole life of a mirror (the scenario every path runs, tests/support/lifecycle.ts)
 * with YAML's own steps (what the CLI shows, the state as stored, `pulumi import`, the `import` resource
 * option), and two GitLab instances in one stack through explicit providers.
 */
import { RunningEmulator, startEmulator } from "../../emulator";
import { withCredentials } from "../../harness/git";
import { CliStack, StateResource } from "../../harness/cli-stack";
import { GitLabActor, pulumiBinDirForTests, QUICKSTART_PROJECT_ID as PROJECT_ID, repoRoot } from "./support";
import { describeLifecycle, LifecycleContext, ROOT_TOKEN, TARGET } from "../support/lifecycle";
import { yamlExample, yamlPath } from "../support/lifecycle-paths";

jest.setTimeout(600_000);

const MIRROR_TYPE = "gitlab-mirrors:index:RemoteMirror";

function mirrorsIn(resources: StateResource[]): StateResource[] {
  return resources.filter((r) => r.type === MIRROR_TYPE);
}

/** Resources the import steps add to the program, after the quickstart's mirror. */
let extraResources = "";

/** A RemoteMirror resource of the YAML program that takes over mirror `mirrorId` with the `import` option. */
function importedByOption(name: string, urlConfig: string, mirrorId: number, properties: string[] = []): string {
  return [
    `  ${name}:`,
    `    type: ${MIRROR_TYPE}`,
    "    properties:",
    `      project: ${PROJECT_ID}`,
    `      url: \${${urlConfig}}`,
    ...properties.map((line) => `      ${line}`),
    "    options:",
    `      import: "${PROJECT_ID}:${mirrorId}"`,
    "",
  ].join("\n");
}

/**
 * A mirror made through GitLab's API, as someone would by hand, to target `<TARGET>-<name>` with the password
 * `<name>-password`; its URL, credentials included, becomes the stack's secret config `<name>Url`.
 */
async function mirrorMadeByHand(
  { actor, gitlab, stack }: LifecycleContext<CliStack>,
  name: string,
  attributes: { only_protected_branches: boolean; keep_divergent_refs: boolean },
): Promise<number> {
  const url = withCredentials(`${gitlab.baseUrl}/-/targets/${TARGET.path}-${name}.git`, TARGET.username, `${name}-password`);
  const made = await actor.api("POST", `/projects/${PROJECT_ID}/remote_mirrors`, { url, enabled: true, ...attributes });
  expect(made.status).toBe(201);
  await stack.setConfig(`${name}Url`, url, true);
  return (made.body as { id: number }).id;
}

describeLifecycle("examples/yaml: the provider plugin from a YAML program", yamlPath(), {
  afterCreate(step, ctx) {
    step("the CLI shows the created mirror's outputs and logs the mirror's sync, not its routine steps", async () => {
      const { log } = ctx.created;
      expect(log).toContain(`mirrorId    : ${ctx.mirrorId}`);
      expect(log).toContain(`updateStatus: "finished"`);
      // The log lines are the mirror's, not the stack's; routine steps are not logged unless asked for.
      expect(log).toMatch(new RegExp(`gitlab-mirrors:index:RemoteMirror \\(mirror\\):\\s+demo/app: requested a sync of mirror ${ctx.mirrorId}`));
      expect(log).not.toContain("created mirror");
    });

    step("the state holds no __provider, and without --show-secrets neither the token nor the URL password", async () => {
      const plain = await ctx.stack.exportState();
      expect(plain.text).not.toContain(ROOT_TOKEN);
      expect(plain.text).not.toContain(TARGET.password);
      const [mirror] = mirrorsIn(plain.resources);
      expect(mirror.id).toBe(`${PROJECT_ID}:${ctx.mirrorId}`);
      const revealed = await ctx.stack.exportState(true);
      expect(revealed.text).not.toContain("__provider");
      const [stored] = mirrorsIn(revealed.resources);
      expect(stored.outputs).toMatchObject({ mirrorId: ctx.mirrorId, projectId: PROJECT_ID, keepDivergentRefs: true });
      // Inputs GitLab does not report are recorded once, as inputs, not repeated as outputs.
      expect(stored.inputs).toMatchObject({ project: "demo/app" });
      expect(JSON.stringify(stored.inputs?.url)).toContain(TARGET.password);
      for (const input of ["url", "project", "syncOnApply", "waitForSync"]) expect(stored.outputs).not.toHaveProperty(input);
    });
  },

  afterDrift(step, ctx) {
    step("the preview of the drift names the property", async () => {
      const preview = await ctx.stack.ok(["preview", "--diff"]);
      expect(preview.stdout).toMatch(/~ enabled\s*: false => true/);
    });
  },

  beforeDestroy(step, ctx) {
    step("pulumi import adopts a mirror made through the API, and the declared resource then previews clean", async () => {
      const { actor, stack } = ctx;
      const madeId = await mirrorMadeByHand(ctx, "imported", { only_protected_branches: true, keep_divergent_refs: true });
      const imported = await stack.ok(["import", MIRROR_TYPE, "imported", `${PROJECT_ID}:${madeId}`, "--yes", "--generate-code=false"]);
      ctx.resources += 1;
      expect(imported.log).not.toContain("imported-password");
      const state = mirrorsIn((await stack.exportState()).resources).find((r) => r.urn.endsWith("::imported"));
      expect(state?.id).toBe(`${PROJECT_ID}:${madeId}`);
      expect(state?.outputs).toMatchObject({ projectId: PROJECT_ID, mirrorId: madeId, enabled: true });
      expect(state?.inputs).toMatchObject({ project: "demo/app", enabled: true });

      // GitLab never returns credentials: a declared URL with the same target is no change.
      extraResources += `  imported:
    type: ${MIRROR_TYPE}
    properties:
      project: demo/app
      url: \${importedUrl}
`;
      stack.write({ "Pulumi.yaml": yamlExample(extraResources) });
      await stack.ok(["preview", "--expect-no-changes"]);
      expect((await actor.mirrors(PROJECT_ID)).map((m) => m.id)).toContain(madeId);
    });

    step("the import resource option takes over an existing mirror without changing it", async () => {
      const { actor, stack } = ctx;
      const madeId = await mirrorMadeByHand(ctx, "option", { only_protected_branches: true, keep_divergent_refs: true });
      extraResources += importedByOption("adopted", "optionUrl", madeId);
      stack.write({ "Pulumi.yaml": yamlExample(extraResources) });
      await actor.resetCounters();
      const result = await stack.ok(["up", "--yes", "--skip-preview"]);
      ctx.resources += 1;
      expect(result.stdout).toMatch(/1 imported/);
      // Imported as is: read, never written.
      const routes = (await actor.counters()).routes;
      expect(Object.keys(routes).filter((route) => !route.startsWith("GET"))).toEqual([]);
      await stack.ok(["preview", "--expect-no-changes"]);
    });

    // Issue 21, item 19: declared inputs that differ from GitLab's do not stop the import option; the engine
    // imports, then updates in the same run, and the preview says so.
    step("the import option over a mirror that differs: the preview warns, and up imports then updates", async () => {
      const { actor, stack } = ctx;
      const madeId = await mirrorMadeByHand(ctx, "differing", { only_protected_branches: false, keep_divergent_refs: false });
      extraResources += importedByOption("differing", "differingUrl", madeId, ["keepDivergentRefs: false"]);
      stack.write({ "Pulumi.yaml": yamlExample(extraResources) });
      const preview = await stack.ok(["preview"]);
      expect(preview.log).toContain(`importing mirror ${PROJECT_ID}:${madeId}: the declared inputs differ from the mirror GitLab has (onlyProtectedBranches)`);
      expect(preview.log).not.toContain("differing-password");
      await stack.ok(["up", "--yes", "--skip-preview"]);
      ctx.resources += 1;
      const after = (await actor.api("GET", `/projects/${PROJECT_ID}/remote_mirrors/${madeId}`)).body as { only_protected_branches: boolean };
      expect(after.only_protected_branches).toBe(true);
      await stack.ok(["preview", "--expect-no-changes"]);
    });
  },
});

describe("two GitLab instances in one stack, through explicit providers", () => {
  let east: RunningEmulator;
  let west: RunningEmulator;
  let stack: CliStack;

  beforeAll(async () => {
    [east, west] = await Promise.all([startEmulator(), startEmulator()]);
  });

  afterAll(async () => {
    stack?.dispose();
    await Promise.all([east?.close(), west?.close()]);
  });

  test("each provider's mirrors land on its own instance, and bad provider settings fail at preview", async () => {
    const program = `name: two-gitlabs
runtime: yaml
packages:
  gitlab-mirrors: ${repoRoot}
config:
  eastUrl: { type: string }
  westUrl: { type: string }
  token: { type: string }
  targetUrl: { type: string }
resources:
  east:
    type: pulumi:providers:gitlab-mirrors
    properties:
      baseUrl: \${eastUrl}
      token: \${token}
  west:
    type: pulumi:providers:gitlab-mirrors
    properties:
      baseUrl: \${westUrl}
      token: \${token}
  eastMirror:
    type: ${MIRROR_TYPE}
    properties:
      project: demo/app
      url: \${targetUrl}
    options:
      provider: \${east}
  westMirror:
    type: ${MIRROR_TYPE}
    properties:
      project: demo/app
      url: \${targetUrl}
      enabled: false
    options:
      provider: \${west}
variables:
  eastListed:
    fn::invoke:
      function: gitlab-mirrors:index:getRemoteMirrors
      arguments:
        project: demo/app
      options:
        provider: \${east}
outputs:
  eastMirrors: \${eastListed.mirrors}
`;
    stack = new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": program }, env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" } });
    await stack.init("dev", {
      eastUrl: { value: east.baseUrl },
      westUrl: { value: "ftp://gitlab.invalid" },
      token: { value: ROOT_TOKEN, secret: true },
      targetUrl: { value: withCredentials("https://git.example.com/backup/app.git", "bot", "two-gitlabs-password"), secret: true },
    });
    const bad = await stack.pulumi(["preview"]);
    expect(bad.code).not.toBe(0);
    expect(bad.log).toContain("the provider's baseUrl uses scheme ftp, which is not supported");
    expect(bad.log).not.toContain(ROOT_TOKEN);

    await stack.setConfig("westUrl", west.baseUrl);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const eastMirrors = await new GitLabActor(east.baseUrl, ROOT_TOKEN).mirrors(PROJECT_ID);
    const westMirrors = await new GitLabActor(west.baseUrl, ROOT_TOKEN).mirrors(PROJECT_ID);
    expect(eastMirrors.map((m) => m.enabled)).toEqual([true]);
    expect(westMirrors.map((m) => m.enabled)).toEqual([false]);

    // getRemoteMirrors lists what the east provider's GitLab has (the first run listed before creating).
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const listed = await stack.ok(["stack", "output", "eastMirrors", "--json", "--show-secrets"]);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: eastMirrors[0].id, resourceId: `${PROJECT_ID}:${eastMirrors[0].id}`, url: "https://*****:*****@git.example.com/backup/app.git", enabled: true }),
    ]);
    expect(listed.stdout).not.toContain("two-gitlabs-password");
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await new GitLabActor(east.baseUrl, ROOT_TOKEN).mirrors(PROJECT_ID)).toEqual([]);
    expect(await new GitLabActor(west.baseUrl, ROOT_TOKEN).mirrors(PROJECT_ID)).toEqual([]);
  });

  test("without any connection settings, preview fails naming gitlab-mirrors:baseUrl and GITLAB_BASE_URL", async () => {
    const missing = new CliStack({
      binDir: pulumiBinDirForTests(),
      files: {
        "Pulumi.yaml": `name: no-config
runtime: yaml
packages:
  gitlab-mirrors: ${repoRoot}
resources:
  mirror:
    type: ${MIRROR_TYPE}
    properties: { project: demo/app, url: "https://git.example.com/backup/app.git" }
`,
      },
      env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" },
    });
    try {
      await missing.init("dev", {});
      const result = await missing.pulumi(["preview"]);
      expect(result.code).not.toBe(0);
      expect(result.log).toContain("gitlab-mirrors:baseUrl is not set; run `pulumi config set gitlab-mirrors:baseUrl https://gitlab.example.com` or set GITLAB_BASE_URL");
      expect(result.log).toContain("gitlab-mirrors:token is not set");
    } finally {
      missing.dispose();
    }
  });

  // Issue 21, item 21: preview never checked the token; it now asks GET /user once per provider.
  test("a token GitLab refuses fails preview naming gitlab-mirrors:token; earlyAuthCheck false skips the check", async () => {
    const gitlab = await startEmulator();
    const wrongToken = "glpat-wrong-token-0123456789";
    const program = (extra: string) => `name: wrong-token
runtime: yaml
packages:
  gitlab-mirrors: ${repoRoot}
resources:
  mirror:
    type: ${MIRROR_TYPE}
    properties: { project: demo/app, url: "https://git.example.com/backup/app.git" }
${extra}`;
    const wrong = new CliStack({ binDir: pulumiBinDirForTests(), files: { "Pulumi.yaml": program("") }, env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" } });
    try {
      await wrong.init("dev", {
        "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
        "gitlab-mirrors:token": { value: wrongToken, secret: true },
      });
      const actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
      await actor.resetCounters();
      const result = await wrong.pulumi(["preview"]);
      expect(result.code).not.toBe(0);
      expect(result.log).toContain("gitlab-mirrors:token");
      expect(result.log).toContain("was refused by GitLab (GET /user answered 401 Unauthorized)");
      expect(result.log).not.toContain(wrongToken);
      expect((await actor.counters()).routes).toEqual({ "GET /user": 1 });

      await actor.resetCounters();
      await wrong.setConfig("gitlab-mirrors:earlyAuthCheck", "false");
      const unchecked = await wrong.pulumi(["preview"]);
      expect(unchecked.code).toBe(0);
      expect((await actor.counters()).routes).toEqual({});
    } finally {
      wrong.dispose();
      await gitlab.close();
    }
  });
});
