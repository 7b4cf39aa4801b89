/**
 * Each provider host driven over gRPC in isolation, as the engine drives it, for N mirrors one call at a
 * time: Check, Create, then a preview's Check and Diff, a refresh's Read, an update's Check, Diff and
 * Update, and Delete. Measures each call's wall time and the bytes of its request and response, and
 * profiles the host's CPU (scripts/bench/cpu-profile.ts).
 *
 *   dynamic  Pulumi's dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`) running our
 *            serialized provider, whose text travels in every request as `__provider`
 *   plugin   the repository's provider plugin (provider/plugin), the URL sent as a secret
 *   plugin floor  the no-op plugin (harness/bench/noop-plugin), served by `@pulumi/pulumi/provider`
 *
 * and how long each host takes to start (spawn to the port on its first line). Both plugins start as the
 * engine starts them: their executable runs their module with Node.js, no language host.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { remoteMirrorProvider } from "../../provider/dynamic/serialized-provider";
import { repoRoot } from "../../harness/pulumi-cli";
import { ROOT_TOKEN, startEmulatorProcess } from "./emulator";
import { NOOP_MIRROR_TOKEN } from "../../harness/bench/noop-plugin/provider";
import { analyseProfile } from "../../harness/bench/profile";
import { PER_PROJECT } from "../../harness/bench/programs";

/** Pulumi's marker of a secret value on the wire. */
const SECRET_SIG = { key: "4dabf18193072939515e22adb298388d", value: "1b47061264138c4ac30d75fd1eb44270" };
const CALLS = ["check", "create", "diff", "read", "update", "delete"] as const;
const TICKS_PER_SECOND = 100;

function cpuTicks(pid: number): number {
  const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

type Props = Record<string, unknown>;
type CallName = (typeof CALLS)[number];

export interface CallStats {
  calls: number;
  meanMs: number;
  p95Ms: number;
  requestBytes: number;
  responseBytes: number;
}

export interface HostMeasurement {
  host: string;
  /** From spawning the host to its port on stdout. */
  startMs: number;
  calls: Record<CallName, CallStats>;
  /** The host's CPU ms (user + system) per call, by batch: the machine's load inflates it far less than wall time. */
  cpuPerCall: Record<string, number>;
  cpu: { totalMs: number; byCategory: Record<string, number> } | undefined;
}

interface Host {
  name: string;
  urn(index: number): string;
  /** What the program would send: the dynamic path adds its provider's text; the plugin gets the URL as a secret. */
  news(index: number, enabled: boolean): Props;
  configure(rpc: Rpc, baseUrl: string): unknown;
  /** The host's command; the engine's address is added as its argument. */
  command: string[];
}

function rpcModules() {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
  return {
    grpc: fromPulumi("@grpc/grpc-js"),
    provider: fromPulumi("@pulumi/pulumi/proto/provider_pb"),
    Client: fromPulumi("@pulumi/pulumi/proto/provider_grpc_pb").ResourceProviderClient,
    Struct: fromPulumi("google-protobuf/google/protobuf/struct_pb").Struct,
    EngineService: fromPulumi("@pulumi/pulumi/proto/engine_grpc_pb").EngineService,
    Empty: fromPulumi("google-protobuf/google/protobuf/empty_pb").Empty,
  };
}
type Rpc = ReturnType<typeof rpcModules>;

/**
 * The engine's Log service, whose address each host gets as its last argument: log lines then cost what they cost in a real
 * run (with no engine listening, each would fail and retry the connection, which costs far more).
 */
async function startEngineLog(rpc: Rpc): Promise<{ address: string; lines: () => number; stop(): Promise<void> }> {
  let lines = 0;
  const server = new rpc.grpc.Server();
  server.addService(rpc.EngineService, {
    log: (_call: unknown, done: (err: null, value: unknown) => void) => {
      lines += 1;
      done(null, new rpc.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", rpc.grpc.ServerCredentials.createInsecure(), (err: Error | null, bound: number) => (err ? reject(err) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, lines: () => lines, stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

function targetUrl(index: number): string {
  return `https://fleet-bot:fleet-bench-target-token@mirror.example.com/fleet/app-${index}.git`;
}

async function hosts(): Promise<Host[]> {
  const providerText = (await pulumi.runtime.serializeFunction(() => remoteMirrorProvider, { allowSecrets: true })).text;
  const project = (index: number) => `fleet/p-${Math.floor(index / PER_PROJECT)}`;
  return [
    {
      name: "dynamic",
      urn: (i) => `urn:pulumi:bench::fleet::pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror::app-${i}`,
      news: (i, enabled) => ({ project: project(i), url: targetUrl(i), enabled, syncOnApply: false, __provider: providerText }),
      configure: (rpc, baseUrl) => {
        const request = new rpc.provider.ConfigureRequest();
        request.setArgs(rpc.Struct.fromJavaScript({ "gitlab:baseUrl": baseUrl, "gitlab:token": ROOT_TOKEN }));
        return request;
      },
      command: [require.resolve("@pulumi/pulumi/cmd/dynamic-provider")],
    },
    {
      name: "plugin",
      urn: (i) => `urn:pulumi:bench::fleet::gitlab-mirrors:index:RemoteMirror::app-${i}`,
      news: (i, enabled) => ({ project: project(i), url: { [SECRET_SIG.key]: SECRET_SIG.value, value: targetUrl(i) }, enabled, syncOnApply: false }),
      configure: (rpc, baseUrl) => {
        const request = new rpc.provider.ConfigureRequest();
        request.getVariablesMap().set("gitlab-mirrors:config:baseUrl", baseUrl);
        request.getVariablesMap().set("gitlab-mirrors:config:token", ROOT_TOKEN);
        request.setArgs(rpc.Struct.fromJavaScript({}));
        request.setAcceptsecrets(true);
        return request;
      },
      // As the engine starts it (pulumi-resource-gitlab-mirrors runs this module).
      command: [path.join(repoRoot, "dist", "provider", "plugin", "main.js")],
    },
    {
      // The plugin path's floor, started as the engine starts it (pulumi-resource-noop-mirrors runs this module).
      name: "plugin floor",
      urn: (i) => `urn:pulumi:bench::fleet::${NOOP_MIRROR_TOKEN}::app-${i}`,
      news: (i, enabled) => ({ project: project(i), url: { [SECRET_SIG.key]: SECRET_SIG.value, value: targetUrl(i) }, enabled, syncOnApply: false }),
      configure: (rpc) => {
        const request = new rpc.provider.ConfigureRequest();
        request.setArgs(rpc.Struct.fromJavaScript({}));
        request.setAcceptsecrets(true);
        return request;
      },
      command: [path.join(repoRoot, "dist", "harness", "bench", "noop-plugin", "index.js")],
    },
  ];
}

async function startHost(host: Host, engineAddress: string, profileDir: string, env: NodeJS.ProcessEnv): Promise<{ port: string; startMs: number; pid: number; stop(): Promise<void> }> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ["--require", path.join(repoRoot, "dist", "scripts", "bench", "cpu-profile.js"), ...host.command, engineAddress],
    { cwd: repoRoot, env: { ...env, GITLAB_MIRRORS_BENCH_PROFILE_DIR: profileDir }, stdio: ["ignore", "pipe", "ignore"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const line = out.split("\n")[0].trim();
      if (out.includes("\n") && /^\d+$/.test(line)) resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`the ${host.name} provider host exited with ${code} before listening`)));
  });
  return {
    port,
    startMs: Number(process.hrtime.bigint() - started) / 1e6,
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGINT");
      await exited;
    },
  };
}

function stats(samples: { ms: number; requestBytes: number; responseBytes: number }[]): CallStats {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  return {
    calls: samples.length,
    meanMs: mean(sorted),
    p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    requestBytes: mean(samples.map((s) => s.requestBytes)),
    responseBytes: mean(samples.map((s) => s.responseBytes)),
  };
}

async function driveHost(rpc: Rpc, host: Host, count: number, baseUrl: string, dir: string): Promise<HostMeasurement> {
  const profileDir = path.join(dir, host.name);
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_NODEJS_PROJECT: "fleet", PULUMI_NODEJS_STACK: "bench" };
  delete env.GITLAB_TOKEN;
  delete env.GITLAB_BASE_URL;
  const engine = await startEngineLog(rpc);
  const running = await startHost(host, engine.address, profileDir, env);
  const client = new rpc.Client(`127.0.0.1:${running.port}`, rpc.grpc.credentials.createInsecure());
  const samples = Object.fromEntries(CALLS.map((c) => [c, [] as { ms: number; requestBytes: number; responseBytes: number }[]])) as Record<CallName, { ms: number; requestBytes: number; responseBytes: number }[]>;
  const call = (method: string, request: { serializeBinary(): Uint8Array }, record?: CallName): Promise<any> =>
    new Promise((resolve, reject) => {
      const started = process.hrtime.bigint();
      client[method](request, (err: Error | null, response: { serializeBinary(): Uint8Array }) => {
        if (err) return reject(new Error(`${host.name} ${method}: ${err.message}`));
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (record !== undefined) samples[record].push({ ms, requestBytes: request.serializeBinary().length, responseBytes: response.serializeBinary().length });
        resolve(response);
      });
    });
  const struct = (value: Props) => rpc.Struct.fromJavaScript(value);
  const P = rpc.provider;
  // The host's CPU time per call of each batch (one kind of call over all N mirrors, as a phase makes them).
  const cpuPerCall: Record<string, number> = {};
  const batch = async (name: string, run: (i: number) => Promise<void>): Promise<void> => {
    const before = cpuTicks(running.pid);
    for (let i = 0; i < count; i += 1) await run(i);
    cpuPerCall[name] = ((cpuTicks(running.pid) - before) * 1000) / TICKS_PER_SECOND / count;
  };
  try {
    await call("configure", host.configure(rpc, baseUrl) as never);
    const check = async (i: number, olds: Props, news: Props): Promise<Props> => {
      const request = new P.CheckRequest();
      request.setUrn(host.urn(i));
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      return (await call("check", request, "check")).getInputs().toJavaScript();
    };
    const diff = async (i: number, olds: Props, news: Props, oldInputs: Props): Promise<number> => {
      const request = new P.DiffRequest();
      request.setUrn(host.urn(i));
      request.setId(ids[i]);
      request.setOlds(struct(olds));
      request.setNews(struct(news));
      request.setOldInputs(struct(oldInputs));
      return (await call("diff", request, "diff")).getChanges();
    };
    const ids: string[] = [];
    const inputs: Props[] = [];
    const outs: Props[] = [];
    const checked: Props[] = [];
    // up: Check and Create.
    await batch("up: check", async (i) => void (inputs[i] = await check(i, {}, host.news(i, true))));
    await batch("up: create", async (i) => {
      const request = new P.CreateRequest();
      request.setUrn(host.urn(i));
      request.setProperties(struct(inputs[i]));
      const created = await call("create", request, "create");
      ids[i] = created.getId();
      outs[i] = created.getProperties().toJavaScript();
    });
    // preview of an unchanged stack: Check and Diff.
    await batch("preview: check", async (i) => void (checked[i] = await check(i, inputs[i], host.news(i, true))));
    await batch("preview: diff", async (i) => {
      if ((await diff(i, outs[i], checked[i], inputs[i])) === P.DiffResponse.DiffChanges.DIFF_SOME) throw new Error(`${host.name}: an unchanged mirror has a diff`);
    });
    // refresh: Read.
    await batch("refresh: read", async (i) => {
      const request = new P.ReadRequest();
      request.setUrn(host.urn(i));
      request.setId(ids[i]);
      request.setProperties(struct(outs[i]));
      request.setInputs(struct(inputs[i]));
      await call("read", request, "read");
    });
    // disable all: Check, Diff, Update.
    await batch("disable: check", async (i) => void (checked[i] = await check(i, inputs[i], host.news(i, false))));
    await batch("disable: diff", async (i) => void (await diff(i, outs[i], checked[i], inputs[i])));
    await batch("disable: update", async (i) => {
      const request = new P.UpdateRequest();
      request.setUrn(host.urn(i));
      request.setId(ids[i]);
      request.setOlds(struct(outs[i]));
      request.setNews(struct(checked[i]));
      request.setOldInputs(struct(inputs[i]));
      outs[i] = (await call("update", request, "update")).getProperties().toJavaScript();
    });
    // destroy: Delete.
    await batch("destroy: delete", async (i) => {
      const request = new P.DeleteRequest();
      request.setUrn(host.urn(i));
      request.setId(ids[i]);
      request.setProperties(struct(outs[i]));
      await call("delete", request, "delete");
    });
  } finally {
    client.close();
    await running.stop();
    await engine.stop();
  }
  const profiles = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile")) : [];
  const cpu = profiles.length === 1 ? analyseProfile(JSON.parse(fs.readFileSync(path.join(profileDir, profiles[0]), "utf8"))) : undefined;
  return { host: host.name, startMs: running.startMs, calls: Object.fromEntries(CALLS.map((c) => [c, stats(samples[c])])) as Record<CallName, CallStats>, cpuPerCall, cpu };
}

/** Both hosts, one after the other, each against a fresh emulator. */
export async function measureGrpcCalls(count: number, dir: string): Promise<{ count: number; hosts: HostMeasurement[] }> {
  const rpc = rpcModules();
  const measured: HostMeasurement[] = [];
  for (const host of await hosts()) {
    const emulator = await startEmulatorProcess(count, path.join(dir, host.name, "emulator"));
    try {
      measured.push(await driveHost(rpc, host, count, emulator.baseUrl, dir));
    } finally {
      await emulator.stop();
    }
  }
  return { count, hosts: measured };
}

export function printGrpcCalls(result: { count: number; hosts: HostMeasurement[] }, print: (line: string) => void): void {
  print(
    `provider hosts driven over gRPC in isolation, ${result.count} mirrors one call at a time ` +
      "(per call: wall mean / p95 ms, request / response bytes; then the host's CPU ms per call by phase)",
  );
  for (const host of result.hosts) {
    print(
      `  ${host.host.padEnd(13)}start ${host.startMs.toFixed(0)} ms; ` +
        CALLS.map((c) => {
          const s = host.calls[c];
          return `${c} ${s.meanMs.toFixed(2)}/${s.p95Ms.toFixed(2)} ms ${s.requestBytes.toFixed(0)}/${s.responseBytes.toFixed(0)} B`;
        }).join("; "),
    );
    print(`               CPU per call: ${Object.entries(host.cpuPerCall).map(([name, ms]) => `${name} ${ms.toFixed(2)} ms`).join(", ")}`);
    if (host.cpu !== undefined) {
      const busy = Object.entries(host.cpu.byCategory)
        .filter(([name]) => name !== "idle")
        .sort(([, a], [, b]) => b - a);
      print(`               CPU profile, whole run: ${busy.map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`).join(", ")}`);
    }
  }
}
