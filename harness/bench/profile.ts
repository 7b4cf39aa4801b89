/**
 * Where a process's CPU time goes, from a V8 CPU profile (`node --cpu-prof`): every sample is charged
 * to the first category found walking its stack from the leaf up, so time spent capturing a stack trace
 * inside the program's code counts as stack-trace time, not as the program's.
 */
import * as fs from "node:fs";
import * as path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Categories in the order they are tried on each frame, leaf first. */
const CATEGORIES: { name: string; matches(fn: string, url: string): boolean }[] = [
  { name: "garbage collection", matches: (fn) => fn === "(garbage collector)" },
  { name: "idle", matches: (fn) => fn === "(idle)" },
  {
    name: "stack-trace capture and source mapping",
    matches: (fn, url) => url.includes("source-map-support") || url.includes("/source-map/") || ["callsites", "prepareStackTrace", "captureStackTrace", "sourcePosition"].includes(fn),
  },
  { name: "provider serialization", matches: (_fn, url) => url.includes("/runtime/closure/") },
  {
    name: "module loading",
    matches: (fn) => ["compileFunction", "wrapSafe", "_findPath", "Module._findPath", "_resolveFilename", "Module._resolveFilename", "tryExtensions", "internalModuleStat", "readPackageScope", "compileForInternalLoader"].includes(fn),
  },
  { name: "gRPC and protobuf", matches: (_fn, url) => url.includes("@grpc") || url.includes("google-protobuf") || url.includes("/proto/") },
  { name: "zod", matches: (_fn, url) => url.includes("/zod/") },
  { name: "HTTP client", matches: (_fn, url) => url.includes("/undici/") || url.includes("/provider/gitlab/") },
  { name: "mirror core", matches: (_fn, url) => url.includes("/provider/mirror/") || url.includes("/provider/plugin/") || url.includes("/provider/dynamic/") },
  { name: "Pulumi SDK runtime", matches: (_fn, url) => url.includes("@pulumi/pulumi") },
];
/** Tried only when no frame of the stack matched a category above: Node's own code works for all of them. */
const FALLBACK = { name: "Node.js internals (http2, streams, timers)", matches: (_fn: string, url: string) => url.startsWith("node:") };

export interface ProfileAnalysis {
  file: string;
  kind: string;
  totalMs: number;
  byCategory: Record<string, number>;
}

export function analyseProfile(profile: CpuProfile): { totalMs: number; byCategory: Record<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const categoryOf = new Map<number, string>();
  const categorise = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    let category: string | undefined;
    let fallback = false;
    for (let at: number | undefined = id; at !== undefined && category === undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      category = CATEGORIES.find((c) => c.matches(functionName, url))?.name;
      fallback ||= FALLBACK.matches(functionName, url);
    }
    category ??= fallback ? FALLBACK.name : "other";
    categoryOf.set(id, category);
    return category;
  };
  const byCategory: Record<string, number> = {};
  profile.samples.forEach((id, index) => {
    const category = categorise(id);
    byCategory[category] = (byCategory[category] ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000;
  });
  return { totalMs: (profile.endTime - profile.startTime) / 1000, byCategory };
}

/** Every profile in `dir` (written by cpu-profile.ts as `<pid>.cpuprofile`) of a process of a known kind. */
export function analyseProfiles(dir: string, kinds: ReadonlyMap<number, string>): ProfileAnalysis[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".cpuprofile"))
    .map((name) => {
      const kind = kinds.get(Number(name.split(".")[0])) ?? "other";
      return { name, kind };
    })
    .filter(({ kind }) => kind !== "other")
    .map(({ name, kind }) => {
      const profile = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as CpuProfile;
      return { file: name, kind, ...analyseProfile(profile) };
    });
}

export function printProfile(title: string, analysis: ProfileAnalysis, count: number, print: (line: string) => void): void {
  const busy = Object.entries(analysis.byCategory)
    .filter(([name]) => name !== "idle")
    .sort(([, a], [, b]) => b - a);
  const busyMs = busy.reduce((sum, [, ms]) => sum + ms, 0);
  print(
    `        profile ${title} ${analysis.kind}: ${(analysis.totalMs / 1000).toFixed(1)} s alive, ${(busyMs / 1000).toFixed(1)} s on CPU ` +
      `(${(busyMs / count).toFixed(1)} ms/mirror): ` +
      busy.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s (${(ms / count).toFixed(2)} ms/mirror)`).join(", "),
  );
}
