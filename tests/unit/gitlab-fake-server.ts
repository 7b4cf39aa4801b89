/**
 * A small recording fake of GitLab's HTTP surface for the client's tests (not the emulator): it answers
 * scripted replies per "METHOD /path" and records every request it saw, in order.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";

export interface RecordedRequest {
  method: string;
  /** Raw path as sent (still percent-encoded), without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the request had a JSON body, else the raw text ("" when none). */
  body: unknown;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; json?: unknown; text?: string; delayMs?: number }
  | { destroy: true } // reset the connection without answering
  | { hang: true }; // never answer

export type Responder = Reply | ((req: RecordedRequest) => Reply);

export class FakeGitLab {
  readonly requests: RecordedRequest[] = [];
  /** Most requests the server was answering at the same time. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly routes = new Map<string, Responder[]>();
  private readonly hanging = new Set<http.ServerResponse>();

  private constructor(private readonly server: http.Server, readonly origin: string) {}

  static async start(): Promise<FakeGitLab> {
    let fake: FakeGitLab | undefined;
    const server = http.createServer((req, res) => fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeGitLab(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** The API root a client should be pointed at. */
  get apiUrl(): string {
    return `${this.origin}/api/v4`;
  }

  /** Queue replies for "METHOD /api/v4/path"; the last one repeats. */
  on(method: string, path: string, ...replies: Responder[]): this {
    this.routes.set(`${method} /api/v4${path}`, replies);
    return this;
  }

  seen(method?: string): RecordedRequest[] {
    return method ? this.requests.filter((r) => r.method === method) : this.requests;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const [path, search = ""] = (req.url ?? "/").split("?", 2);
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path,
        query: new URLSearchParams(search),
        headers: req.headers,
        body: raw !== "" && /json/.test(req.headers["content-type"] ?? "") ? JSON.parse(raw) : raw,
      };
      this.requests.push(recorded);
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on("close", () => {
        this.inFlight -= 1;
      });
      const queue = this.routes.get(`${recorded.method} ${path}`);
      let responder: Responder | undefined;
      if (queue && queue.length > 0) responder = queue.length > 1 ? queue.shift() : queue[0];
      const reply: Reply = responder === undefined
        ? { status: 404, json: { error: "404 Not Found" } }
        : typeof responder === "function" ? responder(recorded) : responder;
      this.send(reply, req, res);
    });
  }

  private send(reply: Reply, req: http.IncomingMessage, res: http.ServerResponse): void {
    if ("destroy" in reply) {
      req.socket.destroy();
      return;
    }
    if ("hang" in reply) {
      this.hanging.add(res);
      return;
    }
    const headers: Record<string, string> = { ...reply.headers };
    let body = "";
    if (reply.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(reply.json);
    } else if (reply.text !== undefined) {
      headers["content-type"] ??= "text/plain";
      body = reply.text;
    }
    const answer = (): void => {
      res.writeHead(reply.status, headers);
      res.end(body);
    };
    if (reply.delayMs) setTimeout(answer, reply.delayMs);
    else answer();
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A dedicated dispatcher per test, so no pooled connection outlives it. */
export function testAgent(): Agent {
  return new Agent({ keepAliveTimeout: 50, keepAliveMaxTimeout: 50, connect: { timeout: 2_000 } });
}

/** A fake clock: `sleep` records the wait and advances `now` at once. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[]; advance: (ms: number) => void } {
  let current = start;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      current += ms;
    },
    sleeps,
    advance: (ms: number) => {
      current += ms;
    },
  };
}

/** A GitLab remote mirror entity as an EE 18.x instance returns it. */
export function mirrorEntity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 7,
    enabled: true,
    url: "https://*****:*****@example.com/group/target.git",
    update_status: "finished",
    last_update_at: "2026-01-06T17:32:02.823Z",
    last_update_started_at: "2026-01-06T17:32:01.100Z",
    last_successful_update_at: "2026-01-06T17:32:02.823Z",
    last_error: null,
    only_protected_branches: false,
    keep_divergent_refs: false,
    auth_method: "password",
    host_keys: [],
    mirror_branch_regex: null,
    ...overrides,
  };
}
