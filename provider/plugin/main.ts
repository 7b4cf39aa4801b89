/**
 * Runs the provider plugin: a gRPC server on 127.0.0.1 whose port is the first line on stdout (the
 * engine reads it). The engine's address, the first argument, is where log lines go, each attached
 * to the resource it is about.
 */
import { redactUrlCredentials } from "../redact";
import { packageInfo } from "./package-root";
import { EngineLog, RemoteMirrorPlugin } from "./provider";
import { pulumiRpc } from "./rpc";
import { resourceProviderService } from "./server";

export interface RunningPlugin {
  port: number;
  close(): Promise<void>;
}

/** Log lines to the engine; to stderr while no engine is known (tests, or before Attach). */
function engineLogger(): { log: EngineLog; setAddress(address: string): void } {
  const rpc = pulumiRpc();
  let client: InstanceType<typeof rpc.EngineClient> | undefined;
  // One line at a time, so the engine shows them in the order they were written.
  let sent: Promise<void> = Promise.resolve();
  return {
    setAddress(address) {
      client?.close();
      client = address === "" ? undefined : new rpc.EngineClient(address, rpc.grpc.credentials.createInsecure());
    },
    log(severity, message, urn) {
      const text = redactUrlCredentials(message);
      if (client === undefined) {
        process.stderr.write(`[gitlab-mirrors] ${severity === "warning" ? "warning: " : ""}${text}\n`);
        return;
      }
      const request = new rpc.engine.LogRequest();
      request.setSeverity(severity === "warning" ? rpc.engine.LogSeverity.WARNING : rpc.engine.LogSeverity.INFO);
      request.setMessage(text);
      request.setUrn(urn);
      const target = client;
      sent = sent.then(() => new Promise<void>((resolve) => target.log(request, () => resolve())));
    },
  };
}

/** Starts serving; `args` are the plugin's command-line arguments (the engine's address first). */
export async function servePlugin(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RunningPlugin> {
  const rpc = pulumiRpc();
  const logger = engineLogger();
  const engineAddress = args.find((arg) => !arg.startsWith("-"));
  if (engineAddress !== undefined) logger.setAddress(engineAddress);
  const plugin = new RemoteMirrorPlugin(logger.log, env);
  const server = new rpc.grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(
    rpc.providerService,
    resourceProviderService({ version: packageInfo().version, plugin, onEngineAddress: (address) => logger.setAddress(address) }) as never,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", rpc.grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  return {
    port,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** The plugin process: serve, print the port, and keep running until the engine stops it. */
export async function main(args: readonly string[]): Promise<void> {
  const running = await servePlugin(args);
  process.stdout.write(`${running.port}\n`);
}
