/**
 * The two ways the engine starts the provider plugin from the package's directory, each serving the
 * same plugin: the executable `pulumi-resource-gitlab-mirrors`, which the engine runs directly where it
 * can (one Node.js process, no language host), and PulumiPlugin.yaml, through which the Node.js
 * language host runs @pulumi/pulumi's run-plugin harness on the package (Windows, where a shell script
 * cannot run, and `pulumi package get-schema <dir>`). Both run the compiled entry in dist/.
 */
import { ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { pulumiRpc } from "../../provider/pulumi-rpc";

const REPO_ROOT = path.resolve(__dirname, "../..");
const LAUNCHER = path.join(REPO_ROOT, "pulumi-resource-gitlab-mirrors");
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

interface Started {
  child: ChildProcess;
  port: string;
}

/** Starts a plugin command and reads the port it prints first, as the engine does. */
function start(command: string, args: string[]): Promise<Started> {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GITLAB_TOKEN: "", GITLAB_BASE_URL: "" } });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (/^\d+\n/.test(out)) resolve({ child, port: out.split("\n")[0] });
    });
    child.once("exit", (code) => reject(new Error(`the plugin exited with ${code} before listening: ${stderr}`)));
  });
}

async function stop({ child }: Started): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const routes: [string, () => Promise<Started>][] = [
  ["pulumi-resource-gitlab-mirrors", () => start(LAUNCHER, ["127.0.0.1:1"])],
  ["PulumiPlugin.yaml through run-plugin", () => start(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-plugin"), REPO_ROOT, "127.0.0.1:1"])],
];

describe("how the engine starts the plugin", () => {
  it("pulumi-resource-gitlab-mirrors is an executable file at the package's root", () => {
    expect(statSync(LAUNCHER).mode & 0o111).toBe(0o111);
  });

  it.each(routes)("%s serves the plugin: GetPluginInfo gives the package's version, GetSchema its RemoteMirror", async (_route, launch) => {
    const rpc = pulumiRpc();
    const started = await launch();
    const client = new (rpc.grpc.makeGenericClientConstructor(rpc.providerService as never, "ResourceProvider"))(
      `127.0.0.1:${started.port}`,
      rpc.grpc.credentials.createInsecure(),
    ) as unknown as Record<string, (request: unknown, done: (err: Error | null, response: any) => void) => void> & { close(): void };
    const call = (method: string, request: unknown): Promise<any> =>
      new Promise((resolve, reject) => client[method](request, (err, response) => (err ? reject(err) : resolve(response))));
    try {
      expect((await call("getPluginInfo", new rpc.Empty())).getVersion()).toBe(VERSION);
      const schema = JSON.parse((await call("getSchema", new rpc.provider.GetSchemaRequest())).getSchema());
      expect(schema.name).toBe("gitlab-mirrors");
      expect(schema.resources["gitlab-mirrors:index:RemoteMirror"].inputProperties.url.secret).toBe(true);
    } finally {
      client.close();
      await stop(started);
    }
  }, 30_000);
});
