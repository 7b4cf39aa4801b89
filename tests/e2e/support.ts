import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SEED } from "../../emulator";
import { listRemoteRefs, withCredentials } from "../../harness/git";
import type { StackResult } from "../../harness/stack-driver";

export const repoRoot = path.resolve(__dirname, "..", "..");
/** The seed's project `demo/app`, which the quickstart mirrors. */
export const QUICKSTART_PROJECT_ID = 1;

export type { ConfigEntry, StackResult } from "../../harness/stack-driver";

/** The CLI built by scripts/setup-pulumi.sh (make test exports PULUMI_BIN_DIR). Missing tools fail, never skip. */
export function pulumiBinDirForTests(): string {
  const dir = process.env.PULUMI_BIN_DIR;
  if (!dir || !fs.existsSync(path.join(dir, "pulumi"))) {
    throw new Error("PULUMI_BIN_DIR must point at a directory with the pulumi CLI: run the tests with 'make test'");
  }
  return dir;
}

/** A small JSON client for the emulator's API and controls, as an out-of-band actor would use them. */
export class GitLabActor {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async api(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.baseUrl}/api/v4${apiPath}`, {
      method,
      headers: { "PRIVATE-TOKEN": this.token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async mirrors(project: number): Promise<Array<{ id: number; enabled: boolean; url: string }>> {
    const { status, body } = await this.api("GET", `/projects/${project}/remote_mirrors`);
    if (status !== 200) throw new Error(`listing mirrors answered ${status}`);
    return body as Array<{ id: number; enabled: boolean; url: string }>;
  }

  async counters(): Promise<{ total: number; routes: Record<string, number> }> {
    const response = await fetch(`${this.baseUrl}/-/emulator/counters`);
    return (await response.json()) as { total: number; routes: Record<string, number> };
  }

  async resetCounters(): Promise<void> {
    await fetch(`${this.baseUrl}/-/emulator/counters`, { method: "DELETE" });
  }
}

/**
 * What the quickstart's first `up` (with sync) leaves, whatever the language: one enabled mirror of the
 * seed's project with the provider's safe defaults, its outputs, and the seed's target holding exactly the
 * protected branch and the tag, at the source's commits. Returns the mirror's id.
 */
export async function expectQuickstartCreated(
  result: StackResult,
  { actor, baseUrl, sourceRefs }: { actor: GitLabActor; baseUrl: string; sourceRefs: Map<string, string> },
): Promise<number> {
  const target = DEFAULT_SEED.targets![0];
  const targetUrl = `${baseUrl}/-/targets/${target.path}.git`;
  expect(result.changes).toEqual({ create: 2 });
  const mirrors = await actor.mirrors(QUICKSTART_PROJECT_ID);
  expect(mirrors).toHaveLength(1);
  expect(mirrors[0].enabled).toBe(true);
  expect(result.outputs?.mirrorId.value).toBe(mirrors[0].id);
  expect(result.outputs?.projectId.value).toBe(QUICKSTART_PROJECT_ID);
  expect(result.outputs?.updateStatus.value).toBe("finished");
  expect(result.outputs?.maskedUrl.value).toBe(targetUrl.replace("://", "://*****:*****@"));
  // The safe defaults: protected branches only (main, in the seed), tags always, divergent refs kept.
  const targetRefs = await listRemoteRefs(withCredentials(targetUrl, target.username, target.password));
  expect([...targetRefs.keys()].sort()).toEqual(["refs/heads/main", "refs/tags/v1.0.0"]);
  for (const [ref, sha] of targetRefs) expect(sha).toBe(sourceRefs.get(ref));
  expect(mirrors[0]).toMatchObject({ only_protected_branches: true, keep_divergent_refs: true });
  return mirrors[0].id;
}
