/**
 * Measures the GitLab client's throughput and its per-host concurrency cap against a local HTTP server
 * that answers like GitLab's GET remote mirror. Loopback only, bounded count.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench-client.js [requests=2000] [callers=50] [maxConnectionsPerHost=10]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeAll, createGitLabClient } from "../provider/gitlab";

const MAX_REQUESTS = 20_000;

async function main(): Promise<void> {
  const [requests = 2000, callers = 50, maxConnectionsPerHost = 10] = process.argv.slice(2).map(Number);
  const total = Math.min(requests, MAX_REQUESTS);
  const body = JSON.stringify({
    id: 7, enabled: true, url: "https://*****:*****@example.com/t.git", update_status: "finished",
    last_update_at: null, last_update_started_at: null, last_successful_update_at: null, last_error: null,
    only_protected_branches: false, keep_divergent_refs: null, auth_method: "password", host_keys: [],
  });
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((_req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setImmediate(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body, () => {
        inFlight -= 1;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const client = createGitLabClient({ baseUrl: `http://127.0.0.1:${port}`, token: "bench-token" }, { maxConnectionsPerHost });

  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < total) {
        next += 1;
        await client.remoteMirrors.get(42, 7);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    `${total} GETs, ${callers} callers, cap ${maxConnectionsPerHost}: ${(total / seconds).toFixed(0)} req/s, ` +
      `${((seconds / total) * 1000).toFixed(2)} ms/req, server saw at most ${maxInFlight} at once\n`,
  );
  await closeAll();
  server.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
