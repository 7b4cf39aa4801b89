/**
 * Everything under /api/v4: counting, faults, body parsing, the API guard (token, scope),
 * dispatch, and rendering of GitLab's error bodies.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, checkApiScope, tokenFrom } from "../api/access";
import type { Store } from "../store";
import { errors, isEmulatorError, type EmulatorError } from "../errors";
import type { RequestCounters } from "../controls/counters";
import type { Faults } from "../controls/faults";
import { bodyMalformed, paramsMalformed, sendBadRequest } from "./malformed";
import { BodyParseError, parseBody, parseQuery, readBody } from "./params";
import type { Router } from "./router";

export interface ApiHandlerDeps {
  router: Router;
  store: Store;
  counters: RequestCounters;
  faults: Faults;
  now(): number;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, head = false): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(text)), ...headers });
  res.end(head ? undefined : text);
}

export function sendError(res: ServerResponse, err: EmulatorError, head = false): void {
  sendJson(res, err.status, err.body, err.headers, head);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function handleApi(deps: ApiHandlerDeps, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const head = method === "HEAD";
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const lookup = deps.router.lookup(method, rawPath);
  const routeKey = lookup.kind === "found" ? `${lookup.route.method} ${lookup.route.template}` : `${method} unknown`;
  deps.counters.count(routeKey);
  const query = parseQuery(url.searchParams);

  const latency = deps.faults.latencyFor(routeKey);
  if (latency > 0) await sleep(latency);
  const headerToken = tokenFrom(req.headers, query);
  const decision = deps.faults.decide(routeKey, headerToken ? `token:${headerToken}` : `ip:${req.socket.remoteAddress}`, headerToken !== undefined);
  if (decision.kind === "drop") {
    req.socket.destroy();
    return;
  }
  if (decision.kind === "throttle") {
    res.writeHead(429, { "Content-Type": "text/plain", ...decision.headers });
    res.end(head ? undefined : "Retry later\n");
    return;
  }
  if (decision.kind === "error") {
    sendError(res, errors.injected(decision.status), head);
    return;
  }
  for (const [name, value] of Object.entries(decision.headers ?? {})) res.setHeader(name, value);

  try {
    let params = query;
    try {
      const body = await readBody(req);
      if (bodyMalformed(body)) {
        sendBadRequest(res);
        return;
      }
      params = { ...query, ...parseBody(req.headers["content-type"], body) };
    } catch (err) {
      if (err instanceof Error && (err as BodyParseError).code === "EMU_ERR_BODY_PARSE") {
        throw errors.invalidParams(["message body does not match declared format"]);
      }
      throw err;
    }
    if (paramsMalformed(params)) {
      sendBadRequest(res);
      return;
    }
    if (lookup.kind === "not-found") throw errors.routeNotFound();
    if (lookup.kind === "method-not-allowed") throw errors.methodNotAllowed(lookup.allowed);
    const caller = authenticate(deps.store, tokenFrom(req.headers, params), deps.now());
    checkApiScope(caller, method);
    const response = await lookup.route.handler({ method, pathParams: lookup.pathParams, params, headers: req.headers, caller, url });
    // What the client is told must survive a crash.
    await deps.store.flushed();
    sendJson(res, response.status, response.body, response.headers, head);
  } catch (err) {
    if (isEmulatorError(err)) sendError(res, err, head);
    else sendJson(res, 500, { message: "500 Internal Server Error" }, {}, head);
  }
}
