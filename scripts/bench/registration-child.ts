/**
 * Run in a fresh Node.js process by registration.ts: what a program pays to declare RemoteMirrors
 * through the dynamic path, piece by piece, printed as one JSON line. The source-map-support hook is
 * installed first, as Pulumi's program harness (`@pulumi/pulumi/cmd/run`) installs it.
 */
import { performance } from "node:perf_hooks";

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 200);
  const t0 = performance.now();
  require("source-map-support/register");
  const t1 = performance.now();
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const t2 = performance.now();
  const { remoteMirrorProvider } = require("../../provider/dynamic/serialized-provider") as typeof import("../../provider/dynamic/serialized-provider");
  require("gitlab-mirrors");
  const t3 = performance.now();
  // The SDK serializes a dynamic provider once per program (it caches the text per provider object).
  await pulumi.runtime.serializeFunction(() => remoteMirrorProvider, { allowSecrets: true });
  const t4 = performance.now();
  // Every registration captures the whole stack and parses it (`Resource.callsites`, for sourcePosition
  // and stackTrace); source-map-support maps each frame of compiled code back to its source.
  const callsites = (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites;
  const depth = (n: number): unknown[] => (n === 0 ? callsites() : depth(n - 1));
  for (let i = 0; i < calls; i += 1) depth(10);
  const t5 = performance.now();
  process.stdout.write(
    `${JSON.stringify({
      sourceMapSupportMs: t1 - t0,
      pulumiSdkMs: t2 - t1,
      gitlabMirrorsMs: t3 - t2,
      serializeProviderMs: t4 - t3,
      stackCapturePerCallMs: (t5 - t4) / calls,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
