/**
 * What every demo does around its stack: a local GitLab emulator with project demo/app holding a
 * sample repository (main, feature/login, tag v1.0.0), the refs that landed in the mirror target,
 * and the API requests an operation made. Used by scripts/demo.ts and scripts/demo-sdk.ts.
 */
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../emulator";
import { listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "./git";

export function step(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

export interface DemoGitLab {
  gitlab: RunningEmulator;
  rootToken: string;
  /** The mirror target without credentials, to show. */
  targetUrl: string;
  /** The mirror target with its credentials, for the stack's secret config. */
  targetUrlWithCredentials: string;
}

/** Starts the emulator and pushes the sample repository (into `scratch`) to demo/app. */
export async function startDemoGitLab(scratch: string): Promise<DemoGitLab> {
  const rootToken = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
  const target = DEFAULT_SEED.targets![0];
  step("starting the local GitLab emulator");
  const gitlab = await startEmulator();
  try {
    step(`GitLab emulator listening at ${gitlab.baseUrl} (API ${gitlab.apiUrl})`);
    step("pushing a sample repository (main, feature/login, tag v1.0.0) to project demo/app");
    const source = path.join(scratch, "source");
    await makeSampleRepository(source);
    await pushAll(source, withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", rootToken));
  } catch (err) {
    await gitlab.close();
    throw err;
  }
  const targetUrl = `${gitlab.baseUrl}/-/targets/${target.path}.git`;
  return { gitlab, rootToken, targetUrl, targetUrlWithCredentials: withCredentials(targetUrl, target.username, target.password) };
}

/** Prints the refs in the mirror target. */
export async function showTargetRefs(demo: DemoGitLab): Promise<void> {
  step("refs now in the mirror target (protected branches and tags: the safe defaults; feature/login stays in GitLab):");
  for (const [ref, sha] of await listRemoteRefs(demo.targetUrlWithCredentials)) process.stdout.write(`    ${sha.slice(0, 12)} ${ref}\n`);
}

/** Runs `operation` and returns it with the number of GitLab API requests it made. */
export async function countingRequests<T>(demo: DemoGitLab, operation: () => Promise<T>): Promise<{ result: T; requests: number; described: string }> {
  const counters = `${demo.gitlab.baseUrl}/-/emulator/counters`;
  await fetch(counters, { method: "DELETE" });
  const result = await operation();
  const { total, routes } = (await (await fetch(counters)).json()) as { total: number; routes: Record<string, number> };
  return { result, requests: total, described: describeRequests(total, routes) };
}

/** The provider plugin's early token check: one GET /user per provider instance, not a mirror request. */
const TOKEN_CHECK_ROUTE = "GET /user";

/** "0 mirror API requests (and 1 GET /user: the token check)", for a person. */
export function describeRequests(total: number, routes: Record<string, number>): string {
  const checks = routes[TOKEN_CHECK_ROUTE] ?? 0;
  const mirror = total - checks;
  const counted = `${mirror} mirror API ${mirror === 1 ? "request" : "requests"}`;
  return checks === 0 ? counted : `${counted} (and ${checks} ${TOKEN_CHECK_ROUTE}: the provider's token check)`;
}

/** A step summary such as `{ create: 2, same: 1 }` as "2 created, 1 unchanged". */
export function describeChanges(changes: Record<string, number> | undefined): string {
  const words: Record<string, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced", same: "unchanged", read: "read", import: "imported", refresh: "refreshed" };
  const entries = Object.entries(changes ?? {}).filter(([, n]) => n > 0);
  return entries.length === 0 ? "no changes" : entries.map(([op, n]) => `${n} ${words[op] ?? op}`).join(", ");
}
