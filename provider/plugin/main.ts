/**
 * Runs the provider plugin: a gRPC server on 127.0.0.1 whose port is the first line on stdout (the
 * engine reads it). The engine's address, the last argument, is where log lines go, each attached
 * to the resource it is about.
 */
import * as fs from "node:fs";
import { createEngineLog, engineAddressOf } from "../engine-log";
import { packageInfo } from "./package-root";
import { RemoteMirrorPlugin } from "./adapter";
import { pulumiRpc } from "../pulumi-rpc";
import { resourceProviderService } from "./server";

export interface RunningPlugin {
  port: number;
  close(): Promise<void>;
}

/** Starts serving; `args` are the plugin's command-line arguments (the engine's address last). */
export async function servePlugin(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningPlugin> {
  const rpc = pulumiRpc();
  const log = createEngineLog(engineAddressOf(args));
  const plugin = new RemoteMirrorPlugin(log, env);
  const server = new rpc.grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(
    rpc.providerService,
    resourceProviderService({
      version: packageInfo().version,
      plugin,
      onEngineAddress: (address) => log.setAddress(address),
      logsDelivered: () => log.delivered(),
    }) as never,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", rpc.grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** The plugin process: serve, print the port, and keep running until the engine stops it or is gone. */
export async function main(args: readonly string[]): Promise<void> {
  const running = await servePlugin(args);
  process.stdout.write(`${running.port}\n`);
  exitWhenEngineGone(() => process.exit(0));
}

/** How often the plugin looks at its parent process. */
const PARENT_CHECK_MS = 1_000;

/**
 * The engine starts each plugin in a process group of its own, so a `kill -9` of the CLI's group does
 * not reach it, and an engine that dies never sends the signal that would stop it. The plugin notices
 * on its own, either way within about a second:
 * - the engine holds the write end of a pipe on the plugin's stdin (it never writes to it): when the
 *   engine dies the pipe closes, and stdin ends;
 * - the plugin's parent is the engine (the launcher execs node): when it dies the plugin is handed to
 *   another parent (init, or a subreaper), and its parent pid changes.
 * Stdin that is a terminal or /dev/null (the plugin started by hand, for PULUMI_DEBUG_PROVIDERS) is
 * not watched; nor is a parent that is already init.
 */
export function exitWhenEngineGone(onGone: () => void): void {
  let gone = false;
  const once = () => {
    if (!gone) {
      gone = true;
      onGone();
    }
  };
  let stdin: fs.Stats | undefined;
  try {
    stdin = fs.fstatSync(0);
  } catch {
    stdin = undefined;
  }
  if (stdin !== undefined && (stdin.isFIFO() || stdin.isSocket())) {
    process.stdin.on("end", once);
    process.stdin.on("error", once);
    process.stdin.on("data", () => undefined);
    process.stdin.resume();
  }
  const parent = process.ppid;
  if (parent > 1) {
    const timer = setInterval(() => {
      if (process.ppid !== parent) once();
    }, PARENT_CHECK_MS);
    timer.unref();
  }
}

/** Starts the plugin process, or exits saying why it could not start. */
export function runPluginProcess(): void {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`gitlab-mirrors: the provider plugin could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

// Run by the executable `pulumi-resource-gitlab-mirrors` at the package's root.
if (require.main === module) runPluginProcess();
