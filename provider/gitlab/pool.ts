/**
 * Process-wide registry: one undici Agent (keep-alive pool) and one rate limiter per GitLab API URL.
 * Module singletons on purpose: provider/dynamic requires this module at run time, so every resource in
 * the provider process shares them and nothing is captured in the serialized closure or the state.
 * The first client of a host fixes its connection cap and timeouts.
 */
import type { Agent } from "undici";
import { undici } from "./undici";
import { HostRateLimiter } from "./rate-limiter";

interface HostEntry {
  limiter: HostRateLimiter;
  agent?: Agent;
}

const hosts = new Map<string, HostEntry>();

function entryFor(apiUrl: string, maxConnectionsPerHost: number): HostEntry {
  let entry = hosts.get(apiUrl);
  if (!entry) {
    entry = { limiter: new HostRateLimiter(maxConnectionsPerHost) };
    hosts.set(apiUrl, entry);
  }
  return entry;
}

export function limiterFor(apiUrl: string, maxConnectionsPerHost: number): HostRateLimiter {
  return entryFor(apiUrl, maxConnectionsPerHost).limiter;
}

export interface AgentSettings {
  maxConnectionsPerHost: number;
  timeoutMs: number;
}

export function agentFor(apiUrl: string, settings: AgentSettings): Agent {
  const entry = entryFor(apiUrl, settings.maxConnectionsPerHost);
  if (!entry.agent) {
    entry.agent = new (undici().Agent)({
      connections: settings.maxConnectionsPerHost,
      keepAliveTimeout: 10_000,
      connect: { timeout: settings.timeoutMs },
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
  }
  return entry.agent;
}

/** Closes every pooled Agent and forgets every limiter; for tests and orderly shutdown. */
export async function closeAll(): Promise<void> {
  const entries = [...hosts.values()];
  hosts.clear();
  await Promise.all(entries.map((entry) => entry.agent?.close()));
}
