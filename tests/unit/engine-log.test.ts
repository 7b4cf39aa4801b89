/**
 * Log lines to the engine's Log service: in order, and known to be delivered before a call answers
 * (regression: a refresh's "no longer exists" warning was sometimes lost when the run ended first).
 */
import { createEngineLog } from "../../provider/engine-log";
import { pulumiRpc } from "../../provider/pulumi-rpc";

const { EngineService } = require("@pulumi/pulumi/proto/engine_grpc_pb");

interface FakeEngine {
  address: string;
  received: string[];
  /** Answers the log calls held so far. */
  release(): void;
  stop(): Promise<void>;
}

async function startFakeEngine(): Promise<FakeEngine> {
  const rpc = pulumiRpc();
  const received: string[] = [];
  const held: (() => void)[] = [];
  const server = new rpc.grpc.Server();
  server.addService(EngineService, {
    log: (call: { request: { getMessage(): string } }, done: (err: null, value: unknown) => void) => {
      received.push(call.request.getMessage());
      held.push(() => done(null, new rpc.Empty()));
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", rpc.grpc.ServerCredentials.createInsecure(), (err: Error | null, bound: number) => (err ? reject(err) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    received,
    release: () => held.splice(0).forEach((answer) => answer()),
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

describe("createEngineLog", () => {
  let engine: FakeEngine;
  beforeEach(async () => {
    engine = await startFakeEngine();
  });
  afterEach(async () => {
    engine.release();
    await engine.stop();
  });

  it("delivered() resolves only once the engine has taken every line, sent one at a time in order", async () => {
    const log = createEngineLog(engine.address);
    log("warning", "first");
    log("info", "second");
    let delivered = false;
    const waiting = log.delivered().then(() => (delivered = true));
    // The first line reaches the engine; the second waits for its answer.
    while (engine.received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(delivered).toBe(false);
    engine.release();
    while (engine.received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(delivered).toBe(false);
    engine.release();
    await waiting;
    expect(engine.received).toEqual(["first", "second"]);
    log.setAddress(undefined);
  });

  it("masks URL credentials in every line", async () => {
    const log = createEngineLog(engine.address);
    log("info", "pushing to https://bot:s3cret@example.com/x.git");
    const waiting = log.delivered();
    while (engine.received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    engine.release();
    await waiting;
    expect(engine.received[0]).not.toContain("s3cret");
    log.setAddress(undefined);
  });
});
