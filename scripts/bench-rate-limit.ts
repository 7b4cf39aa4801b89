/**
 * Measures the GitLab client under a rate limit: the emulator (in this process, on 127.0.0.1) allows
 * `--limit` requests per minute per token, as GitLab's throttles do, and `--concurrency` callers send
 * `requests` GETs through one client, sharing its host limiter. It prints a progress line every 10 s,
 * then the sustained rate, how many requests GitLab answered with 429, and how many calls failed.
 * The goal: at least 90% of the limit sustained, and no call failing for a 429.
 *
 *   npx tsc -b tsconfig.json
 *   node dist/scripts/bench-rate-limit.js [requests=1200] [--limit=600] [--concurrency=8]
 */
import { parseArgs } from "node:util";
import { startEmulator } from "../emulator";
import { closeAll, createGitLabClient } from "../provider/gitlab";

const MAX_REQUESTS = 5000;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { limit: { type: "string", default: "600" }, concurrency: { type: "string", default: "8" } },
  });
  const requests = Number(positionals[0] ?? 1200);
  const limit = Number(values.limit);
  const concurrency = Number(values.concurrency);
  for (const [name, value, max] of [["requests", requests, MAX_REQUESTS], ["--limit", limit, 100_000], ["--concurrency", concurrency, 100]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, not ${value}`);
  }

  const gitlab = await startEmulator();
  const print = (line: string) => process.stdout.write(`[bench-rate-limit] ${line}\n`);
  try {
    const set = await fetch(`${gitlab.baseUrl}/-/emulator/faults`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ rateLimit: { limit, windowSeconds: 60 } }),
    });
    if (!set.ok) throw new Error(`setting the rate limit answered ${set.status}`);
    await fetch(`${gitlab.baseUrl}/-/emulator/counters`, { method: "DELETE" });
    print(`${requests} GET /projects/1 from ${concurrency} callers, GitLab limit ${limit} requests/minute`);

    let waitsLogged = 0;
    const client = createGitLabClient({ baseUrl: gitlab.baseUrl, token: "glpat-emulator-root-token" }, { onWait: () => (waitsLogged += 1) });
    let done = 0;
    let failed = 0;
    const finishedAt: number[] = [];
    let next = 0;
    const started = Date.now();
    const progress = setInterval(() => {
      const minutes = (Date.now() - started) / 60_000;
      print(`${Math.round(minutes * 60)} s: ${done} done, ${failed} failed, ${(done / minutes).toFixed(0)} requests/minute`);
    }, 10_000);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next += 1;
          try {
            await client.projects.get(1);
            done += 1;
            finishedAt.push(Date.now());
          } catch (err) {
            failed += 1;
            print(`a call failed: ${(err as Error).message}`);
          }
        }
      }),
    );
    clearInterval(progress);
    const minutes = (Date.now() - started) / 60_000;
    const counters = (await (await fetch(`${gitlab.baseUrl}/-/emulator/counters`)).json()) as { total: number };
    const answered429 = counters.total - done - failed;
    const rate = done / minutes;
    print(`overall ${rate.toFixed(0)} requests/minute over ${(minutes * 60).toFixed(0)} s (the first window also spends what the previous one left)`);
    // The emulator's windows are whole minutes of the clock, as GitLab's fixed windows are: count the full ones.
    const windows = new Map<number, number>();
    for (const at of finishedAt) windows.set(Math.floor(at / 60_000), (windows.get(Math.floor(at / 60_000)) ?? 0) + 1);
    const keys = [...windows.keys()].sort((a, b) => a - b);
    const full = keys.slice(1, -1).map((key) => windows.get(key) ?? 0);
    if (full.length === 0) print("no full one-minute window: run more requests to measure the sustained rate");
    else print(`sustained, in each full one-minute window: ${full.join(", ")} requests = ${full.map((n) => `${((100 * n) / limit).toFixed(1)}%`).join(", ")} of the limit`);
    print(`GitLab answered ${answered429} requests with 429; ${failed} calls failed; ${waitsLogged} waits of a second or more were reported`);
  } finally {
    await closeAll();
    await gitlab.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
