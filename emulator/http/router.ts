/** A small router over route templates such as `/projects/:id/remote_mirrors/:mirror_id`. */
import type { IncomingHttpHeaders } from "node:http";
import type { Caller } from "../api/access";
import type { Params } from "./params";

export interface ApiRequest {
  method: string;
  /** Decoded path parameters (`:id` may be a full path such as `group/app`). */
  pathParams: Record<string, string>;
  /** Query and body merged, body winning. */
  params: Params;
  headers: IncomingHttpHeaders;
  caller: Caller | undefined;
  /** The request URL, used for pagination links. */
  url: URL;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: ApiRequest) => Promise<ApiResponse>;

export interface Route {
  method: string;
  template: string;
  handler: Handler;
}

export type RouteLookup =
  | { kind: "found"; route: Route; pathParams: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[] }
  | { kind: "not-found" };

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    if (parts[i].startsWith(":")) {
      if (segments[i] === "") return undefined;
      params[parts[i].slice(1)] = segments[i];
    } else if (parts[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    this.routes.push({ method, template, handler });
    return this;
  }

  /** `rawPath` is still percent-encoded, so an encoded `%2F` stays inside one segment. */
  lookup(method: string, rawPath: string): RouteLookup {
    let segments: string[];
    try {
      segments = rawPath.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
    } catch {
      return { kind: "not-found" };
    }
    const effective = method === "HEAD" ? "GET" : method;
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchTemplate(route.template, segments);
      if (!params) continue;
      if (route.method === effective) return { kind: "found", route, pathParams: params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
  }
}
