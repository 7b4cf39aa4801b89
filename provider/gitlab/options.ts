/**
 * Client defaults live in one frozen object, merged once; a bad option fails at construction naming it.
 */
import { GITLAB_CONFIG_NAMES, type SettingNames } from "../connection-settings";
import { ConfigError } from "../errors";
import type { ClientOptions } from "./types";

export const DEFAULT_CLIENT_OPTIONS: Readonly<ClientOptions> = Object.freeze({
  timeoutMs: 30_000,
  attemptTimeoutMs: 120_000,
  callTimeoutMs: 180_000,
  maxResponseBytes: 4 * 1024 * 1024,
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  maxConnectionsPerHost: 10,
  userAgent: "gitlab-mirrors",
});

export interface ResolvedClientOptions extends ClientOptions {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  settingNames: SettingNames;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function requireInteger(name: string, value: unknown, min: number, hint: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ConfigError(name, `must be an integer >= ${min} (${hint}), got ${JSON.stringify(value)}`);
  }
}

function requireFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") {
    throw new ConfigError(name, `must be a function when given, got ${typeof value}`);
  }
}

export function resolveClientOptions(overrides: Partial<ClientOptions> = {}): ResolvedClientOptions {
  const merged: ClientOptions = { ...DEFAULT_CLIENT_OPTIONS };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  requireInteger("timeoutMs", merged.timeoutMs, 1, "milliseconds before a connect, headers or body wait fails");
  requireInteger("attemptTimeoutMs", merged.attemptTimeoutMs, 1, "milliseconds one attempt may take from connecting to the last body byte");
  requireInteger("callTimeoutMs", merged.callTimeoutMs, 1, "milliseconds a whole call may take, its retries and waits included");
  requireInteger("maxResponseBytes", merged.maxResponseBytes, 1, "largest response body read, in bytes");
  requireInteger("maxRetries", merged.maxRetries, 0, "0 disables retries");
  requireInteger("baseDelayMs", merged.baseDelayMs, 0, "milliseconds of the first backoff step");
  requireInteger("maxDelayMs", merged.maxDelayMs, 0, "longest single wait in milliseconds");
  if (merged.maxDelayMs < merged.baseDelayMs) {
    throw new ConfigError("maxDelayMs", `must be >= baseDelayMs (${merged.baseDelayMs}), got ${merged.maxDelayMs}`);
  }
  requireInteger("maxConnectionsPerHost", merged.maxConnectionsPerHost, 1, "concurrent requests per GitLab host");
  if (typeof merged.userAgent !== "string" || merged.userAgent.trim() === "") {
    throw new ConfigError("userAgent", "must be a non-empty string");
  }
  requireFunction("sleep", merged.sleep);
  requireFunction("random", merged.random);
  requireFunction("now", merged.now);
  requireFunction("onWait", merged.onWait);
  if (merged.dispatcher !== undefined && typeof (merged.dispatcher as { dispatch?: unknown }).dispatch !== "function") {
    throw new ConfigError("dispatcher", "must be an undici Dispatcher (e.g. new Agent() or MockAgent)");
  }
  return {
    ...merged,
    sleep: merged.sleep ?? defaultSleep,
    random: merged.random ?? Math.random,
    now: merged.now ?? Date.now,
    settingNames: merged.settingNames ?? GITLAB_CONFIG_NAMES,
  };
}
