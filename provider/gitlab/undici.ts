/**
 * undici, loaded when the first client is made rather than with the provider, and only the two pieces
 * the client uses: the Agent (connection pools per origin) and the request API.
 *
 * Why not `require("undici")`: its index also loads fetch, WebSocket, EventSource, the mock and
 * snapshot agents, the caches and Node's own bundled copy of undici (for cookies). That is about 0.08 s
 * of CPU more, paid by every plugin process before its first request: at Configure (the early token
 * check), so on the path of every preview, refresh and update. The two modules are the ones the index
 * itself re-exports; should a future undici move them, the index is loaded instead
 * (tests/unit/undici-loading.test.ts checks that both routes give the same classes).
 */
import type * as Undici from "undici";

export interface HttpClient {
  Agent: typeof Undici.Agent;
  /** One request through `dispatcher`; `options.origin` and `options.path` say where. */
  request(dispatcher: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions): Promise<Undici.Dispatcher.ResponseData>;
}

type RequestApi = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;

function narrow(): HttpClient {
  const Agent = require("undici/lib/dispatcher/agent") as typeof Undici.Agent;
  const requestApi = require("undici/lib/api/api-request") as RequestApi;
  return { Agent, request: (dispatcher, options) => requestApi.call(dispatcher, options) };
}

function whole(): HttpClient {
  const undici = require("undici") as typeof Undici;
  return { Agent: undici.Agent, request: (dispatcher, options) => dispatcher.request(options) };
}

/** The undici pieces the client uses; `route` is for the test that compares the two. */
export function loadHttpClient(route: "narrow" | "whole"): HttpClient {
  if (route === "whole") return whole();
  try {
    return narrow();
  } catch (err) {
    if ((err as { code?: unknown }).code === "MODULE_NOT_FOUND") return whole();
    throw err;
  }
}

let loaded: HttpClient | undefined;

export function undici(): HttpClient {
  return (loaded ??= loadHttpClient("narrow"));
}
