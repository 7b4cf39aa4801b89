/**
 * The quickstart's whole life, one scenario for every way of consuming the provider: TypeScript on the
 * dynamic provider (the Automation API), YAML, Python, Go and TypeScript on the plugin (the real CLI or a
 * language's Automation API), against the emulator. Each path (lifecycle-paths.ts) says how to open its
 * quickstart, how its config is named and what a clean preview asks of GitLab; assertions that only
 * make sense on one path are extra steps its suite adds at the named points of the scenario.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { expectQuickstartCreated, GitLabActor, QUICKSTART_PROJECT_ID as PROJECT_ID } from "../e2e/support";
import type { ConfigEntry, StackDriver, StackResult } from "../../harness/stack-driver";
import { type Scenario, scenario } from "./scenario";

export const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
export const TARGET = DEFAULT_SEED.targets![0];

/** One way of consuming the provider, as the scenario drives it. */
export interface LifecyclePath<S extends StackDriver = StackDriver> {
  /** The quickstart's Pulumi project: the namespace of its configuration. */
  project: string;
  /** The type token of the quickstart's mirror in the state. */
  mirrorType: string;
  /** The GitLab connection in this path's config keys. */
  connection(baseUrl: string, token: string): Record<string, ConfigEntry>;
  /**
   * The API requests (by route) a preview of the unchanged stack makes: none on the dynamic path; the
   * plugin checks its token once per provider instance (GET /user).
   */
  previewRoutes: Record<string, number>;
  /** The quickstart (config `project`, `targetUrl`, `enabled`, `sync`; outputs mirrorId, projectId, maskedUrl, updateStatus). */
  openQuickstart(config: Record<string, ConfigEntry>): S;
  /**
   * A program that lists the project's mirrors with getRemoteMirrors as the output `mirrors`; absent on a
   * path that has no such function (the dynamic provider's SDK).
   */
  openDiscovery?(config: Record<string, ConfigEntry>): StackDriver;
  /** Prepares what the path needs once (an SDK installed, a driver built), before any stack opens. */
  setUp?(): Promise<void>;
  dispose(): void;
}

/** What the scenario knows, for the steps a path's suite adds. */
export interface LifecycleContext<S extends StackDriver = StackDriver> {
  path: LifecyclePath<S>;
  gitlab: RunningEmulator;
  actor: GitLabActor;
  stack: S;
  /** The target repository's URL, without credentials. */
  targetUrl: string;
  sourceRefs: Map<string, string>;
  /** The quickstart's mirror in GitLab: a step that replaces or recreates it updates this. */
  mirrorId: number;
  /** What the first `up` reported. */
  created: StackResult;
  /** The resources in the stack, the stack itself included: a step that adds one counts it, destroy deletes them all. */
  resources: number;
  /** A config key of the quickstart's project. */
  key(name: string): string;
}

/** Where a path's suite adds its own steps: each function calls `step` for them. */
export interface LifecycleExtras<S extends StackDriver = StackDriver> {
  /** After the first `up`, before anything else changes. */
  afterCreate?(step: Scenario["step"], ctx: LifecycleContext<S>): void;
  /** After a refresh recorded the mirror disabled out of band, before `up` repairs it. */
  afterDrift?(step: Scenario["step"], ctx: LifecycleContext<S>): void;
  /** After every shared step but destroy. */
  beforeDestroy?(step: Scenario["step"], ctx: LifecycleContext<S>): void;
}

type StateResource = { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };

/** The quickstart mirror's record in the state as stored (refresh does not re-run the program). */
async function mirrorRecord(ctx: LifecycleContext): Promise<StateResource> {
  const { deployment } = await ctx.stack.expectOk("export");
  const resources = (deployment as { deployment: { resources: StateResource[] } }).deployment.resources;
  const mirror = resources.find((r) => r.type === ctx.path.mirrorType);
  if (!mirror) throw new Error(`no ${ctx.path.mirrorType} in the state`);
  return mirror;
}

export function describeLifecycle<S extends StackDriver>(title: string, lifecyclePath: LifecyclePath<S>, extras: LifecycleExtras<S> = {}): void {
  describe(title, () => {
    const { step } = scenario();
    let sourceDir: string | undefined;
    // Filled in by beforeAll; the steps (the suite's too) read it when they run.
    const ctx = { path: lifecyclePath, resources: 2, key: (name: string) => `${lifecyclePath.project}:${name}` } as LifecycleContext<S>;
    const openDiscovery = lifecyclePath.openDiscovery?.bind(lifecyclePath);
    const connection = () => ctx.path.connection(ctx.gitlab.baseUrl, ROOT_TOKEN);
    const mirrorsInGitLab = async () => (await ctx.actor.mirrors(PROJECT_ID)).map((m) => [m.id, m.enabled]);

    beforeAll(async () => {
      await lifecyclePath.setUp?.();
      ctx.gitlab = await startEmulator();
      ctx.actor = new GitLabActor(ctx.gitlab.baseUrl, ROOT_TOKEN);
      sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-src-"));
      await makeSampleRepository(sourceDir);
      const projectUrl = withCredentials(`${ctx.gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN);
      await pushAll(sourceDir, projectUrl);
      ctx.sourceRefs = await listRemoteRefs(projectUrl);
      ctx.targetUrl = `${ctx.gitlab.baseUrl}/-/targets/${TARGET.path}.git`;
      ctx.stack = ctx.path.openQuickstart({
        ...connection(),
        [ctx.key("project")]: { value: "demo/app" },
        [ctx.key("targetUrl")]: { value: withCredentials(ctx.targetUrl, TARGET.username, TARGET.password), secret: true },
      });
    });

    afterAll(async () => {
      ctx.stack?.dispose();
      lifecyclePath.dispose();
      await ctx.gitlab?.close();
      if (sourceDir) fs.rmSync(sourceDir, { recursive: true, force: true });
    });

    step("up creates the mirror and, with sync, the target receives the protected branch and the tag, never force-pushed", async () => {
      const result = await ctx.stack.expectOk("up");
      ctx.created = result;
      ctx.mirrorId = await expectQuickstartCreated(result, { actor: ctx.actor, baseUrl: ctx.gitlab.baseUrl, sourceRefs: ctx.sourceRefs });
      expect(result.log).not.toContain(ROOT_TOKEN);
      expect(result.log).not.toContain(TARGET.password);
    });

    extras.afterCreate?.(step, ctx);

    step("a second preview reports no changes and makes no mirror API request (the plugin checks its token once)", async () => {
      await ctx.actor.resetCounters();
      const result = await ctx.stack.expectOk("preview");
      expect(result.changes).toEqual({ same: 2 });
      const counters = await ctx.actor.counters();
      expect(counters.routes).toEqual(ctx.path.previewRoutes);
      expect(counters.total).toBe(Object.values(ctx.path.previewRoutes).reduce((sum, n) => sum + n, 0));
    });

    // Regression: read returned every input with its default while the program gave only some, so
    // the next diff listed the defaulted inputs as removed.
    step("after a refresh the next preview still has nothing to do", async () => {
      const inputsBefore = (await mirrorRecord(ctx)).inputs;
      expect((await ctx.stack.expectOk("refresh")).changes).toEqual({ same: 2 });
      // The inputs a read returns have the shape the program's checked inputs have.
      expect(Object.keys((await mirrorRecord(ctx)).inputs).sort()).toEqual(Object.keys(inputsBefore).sort());
      const preview = await ctx.stack.expectOk("preview");
      expect(preview.changes).toEqual({ same: 2 });
      expect(preview.log).not.toMatch(/\[diff: /);
    });

    step("the exported state holds neither the token nor the target password in plaintext", async () => {
      const state = JSON.stringify((await ctx.stack.expectOk("export")).deployment);
      expect(state).toContain(`"mirrorId":${ctx.mirrorId}`);
      expect(state).not.toContain(ROOT_TOKEN);
      expect(state).not.toContain(TARGET.password);
    });

    if (openDiscovery !== undefined) step("getRemoteMirrors lists the project's mirror with its credentials masked", async () => {
      const discovery = openDiscovery({ ...connection(), [ctx.key("project")]: { value: "demo/app" } });
      try {
        const result = await discovery.expectOk("up");
        // The fields every language's program reports (YAML reports whatever the function returns).
        const listed = (result.outputs?.mirrors.value as Array<Record<string, unknown>>).map(({ id, url, enabled, updateStatus }) => ({ id, url, enabled, updateStatus }));
        expect(listed).toEqual([{
          id: ctx.mirrorId,
          url: `${ctx.gitlab.baseUrl.replace("://", "://*****:*****@")}/-/targets/${TARGET.path}.git`,
          enabled: true,
          updateStatus: "finished",
        }]);
        expect(result.log).not.toContain(TARGET.password);
      } finally {
        discovery.dispose();
      }
    });

    step("changing enabled updates the mirror in place", async () => {
      ctx.stack.config[ctx.key("enabled")] = { value: "false" };
      ctx.stack.config[ctx.key("sync")] = { value: "false" };
      expect((await ctx.stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect(await mirrorsInGitLab()).toEqual([[ctx.mirrorId, false]]);
      ctx.stack.config[ctx.key("enabled")] = { value: "true" };
      expect((await ctx.stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect(await mirrorsInGitLab()).toEqual([[ctx.mirrorId, true]]);
    });

    step("disabling the mirror out of band shows as drift on refresh", async () => {
      const put = await ctx.actor.api("PUT", `/projects/${PROJECT_ID}/remote_mirrors/${ctx.mirrorId}`, { enabled: false });
      expect(put.status).toBe(200);
      expect((await ctx.stack.expectOk("refresh")).changes).toEqual({ same: 1, update: 1 });
      expect((await mirrorRecord(ctx)).outputs).toMatchObject({ mirrorId: ctx.mirrorId, enabled: false });
    });

    extras.afterDrift?.(step, ctx);

    step("the next up repairs the drift, and the preview after it has nothing to do", async () => {
      expect((await ctx.stack.expectOk("up")).changes).toEqual({ same: 1, update: 1 });
      expect(await mirrorsInGitLab()).toEqual([[ctx.mirrorId, true]]);
      expect((await ctx.stack.expectOk("preview")).changes).toEqual({ same: 2 });
    });

    step("rotating the credentials in the URL replaces the mirror, deleting the old one first", async () => {
      // GitLab refuses a second mirror with the same URL in a project: creating first would fail.
      const rotated = "rotated-target-password";
      ctx.stack.config[ctx.key("targetUrl")] = { value: withCredentials(ctx.targetUrl, TARGET.username, rotated), secret: true };
      const result = await ctx.stack.expectOk("up");
      expect(result.changes).toEqual({ same: 1, replace: 1 });
      const mirrors = await ctx.actor.mirrors(PROJECT_ID);
      expect(mirrors).toHaveLength(1);
      expect(mirrors[0].id).not.toBe(ctx.mirrorId);
      expect(result.outputs?.mirrorId.value).toBe(mirrors[0].id);
      const state = JSON.stringify((await ctx.stack.expectOk("export")).deployment);
      expect(state).not.toContain(rotated);
      expect(state).not.toContain(ROOT_TOKEN);
      expect(result.log).not.toContain(rotated);
      ctx.mirrorId = mirrors[0].id;
    });

    step("deleting the mirror out of band drops it on refresh, and the next up recreates it", async () => {
      const del = await ctx.actor.api("DELETE", `/projects/${PROJECT_ID}/remote_mirrors/${ctx.mirrorId}`);
      expect(del.status).toBe(204);
      const refresh = await ctx.stack.expectOk("refresh");
      expect(refresh.changes).toEqual({ same: 1, delete: 1 });
      // A warning of ours shows as the engine's warning, not as a plain line of the provider's stderr.
      expect(refresh.log).toMatch(new RegExp(`warning: demo/app: mirror ${ctx.mirrorId} no longer exists in GitLab`));
      expect(refresh.log).not.toContain("[gitlab-mirrors] warning:");
      const up = await ctx.stack.expectOk("up");
      expect(up.changes).toEqual({ same: 1, create: 1 });
      const mirrors = await ctx.actor.mirrors(PROJECT_ID);
      expect(mirrors).toHaveLength(1);
      expect(mirrors[0].id).not.toBe(ctx.mirrorId);
      ctx.mirrorId = mirrors[0].id;
    });

    extras.beforeDestroy?.(step, ctx);

    step("destroy removes every mirror from GitLab", async () => {
      expect((await ctx.stack.expectOk("destroy")).changes).toEqual({ delete: ctx.resources });
      expect(await ctx.actor.mirrors(PROJECT_ID)).toEqual([]);
    });
  });
}
