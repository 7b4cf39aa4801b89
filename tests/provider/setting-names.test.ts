/**
 * Every connection and configuration failure names the setting the way the user of each adapter writes
 * it: the dynamic provider's stack config (gitlab:*), the plugin's default provider (gitlab-mirrors:*),
 * an explicit provider's arguments, and the environment of a command line tool. Each adapter runs in
 * process, against a port that refuses connections and a server that answers 401.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ENVIRONMENT_NAMES } from "../../provider/connection-settings";
import * as handlers from "../../provider/dynamic/handlers";
import { closeAll } from "../../provider/gitlab";
import { connectionFailures, createMirrorContext, hideSecretProperties } from "../../provider/mirror";
import { readMirror } from "../support/mirror-core";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";

type Settings = { baseUrl?: string; token?: string };

interface AdapterPath {
  title: string;
  baseUrl: string;
  token: string;
  /** How the adapter tells its user to set the token. */
  setToken: string;
  checkReasons(settings: Settings): Promise<string[]>;
  /** A read of mirror 7 of project 1 with these settings; resolves to what it threw. */
  failedRead(settings: Settings): Promise<unknown>;
}

const MIRROR = { project: 1, url: "https://git.example.com/backup/app.git", projectId: 1, mirrorId: 7 };
const RESOURCE_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m";

const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err,
  );

function defined(settings: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Record<string, string>;
}

const dynamic: AdapterPath = {
  title: "dynamic provider",
  baseUrl: "gitlab:baseUrl",
  token: "gitlab:token",
  setToken: "run `pulumi config set --secret gitlab:token <token>`",
  async checkReasons(settings) {
    await configureDynamic(settings);
    return (await handlers.check({}, { project: "demo/app", url: MIRROR.url })).failures.map((f) => f.reason);
  },
  async failedRead(settings) {
    await configureDynamic(settings);
    return rejection(handlers.read("1:7", MIRROR));
  },
};

async function configureDynamic(settings: Settings): Promise<void> {
  const config = defined({ "gitlab:baseUrl": settings.baseUrl, "gitlab:token": settings.token });
  await handlers.configure({ config: { get: (key: string) => config[key] } });
}

function pluginPath(title: string, providerUrn: string, names: Pick<AdapterPath, "baseUrl" | "token" | "setToken">): AdapterPath {
  const plugin = () => new RemoteMirrorPlugin(() => undefined, {});
  return {
    title,
    ...names,
    async checkReasons(settings) {
      return plugin().checkConfig(providerUrn, defined(settings)).map((f) => f.reason);
    },
    async failedRead(settings) {
      const p = plugin();
      p.configure(providerUrn, defined(settings));
      return rejection(p.read(RESOURCE_URN, "1:7", MIRROR, { project: 1, url: MIRROR.url }));
    },
  };
}

const pluginDefault = pluginPath("plugin, default provider", "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0", {
  baseUrl: "gitlab-mirrors:baseUrl",
  token: "gitlab-mirrors:token",
  setToken: "run `pulumi config set --secret gitlab-mirrors:token <token>`",
});

const pluginExplicit = pluginPath("plugin, explicit provider", "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::east", {
  baseUrl: "the provider's baseUrl",
  token: "the provider's token",
  setToken: "give the provider resource a token",
});

/** The hook a command line tool uses: the core, told to name the environment variables. */
const environment: AdapterPath = {
  title: "command line (environment)",
  baseUrl: "GITLAB_BASE_URL",
  token: "GITLAB_TOKEN",
  setToken: "set GITLAB_TOKEN to a token with the api scope",
  async checkReasons(settings) {
    return hideSecretProperties(connectionFailures(settings, ENVIRONMENT_NAMES)).map((f) => f.reason);
  },
  async failedRead(settings) {
    const ctx = () => createMirrorContext({ ...settings, settingNames: ENVIRONMENT_NAMES, logger: { debug: () => {}, info: () => {}, warn: () => {} } });
    return rejection(Promise.resolve().then(() => readMirror("1:7", MIRROR, ctx())));
  },
};

const PATHS = [dynamic, pluginDefault, pluginExplicit, environment];

/** The names no other adapter's message may carry (the environment variables are every adapter's fallback). */
function othersNames(path: AdapterPath): string[] {
  return PATHS.filter((other) => other !== path && other !== environment).flatMap((other) => [other.baseUrl, other.token]);
}

function messageChain(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) parts.push(String(e.message));
  return parts.join(" | ");
}

function settingOf(err: unknown): unknown {
  for (let e = err as { setting?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.setting !== undefined) return e.setting;
  }
  return undefined;
}

let refusedUrl: string;
let unauthorized: Server;
let unauthorizedUrl: string;
const saved = { base: process.env.GITLAB_BASE_URL, token: process.env.GITLAB_TOKEN };

beforeAll(async () => {
  delete process.env.GITLAB_BASE_URL;
  delete process.env.GITLAB_TOKEN;
  // A port that was free a moment ago: nothing listens there, so connecting is refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  refusedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  unauthorized = createServer((_req, res) => {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "401 Unauthorized" }));
  });
  await new Promise<void>((resolve) => unauthorized.listen(0, "127.0.0.1", resolve));
  unauthorizedUrl = `http://127.0.0.1:${(unauthorized.address() as AddressInfo).port}`;
});

beforeEach(() => {
  // Full-jitter backoff waits random() × the cap: with 0, the refused GETs are retried without waiting.
  jest.spyOn(Math, "random").mockReturnValue(0);
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await handlers.configure({ config: { get: () => undefined } });
  await closeAll();
  await new Promise<void>((resolve) => unauthorized.close(() => resolve()));
  for (const [key, value] of [["GITLAB_BASE_URL", saved.base], ["GITLAB_TOKEN", saved.token]] as const) {
    if (value !== undefined) process.env[key] = value;
  }
});

describe.each(PATHS)("$title names its own settings", (path) => {
  it("Check: unset", async () => {
    const reasons = await path.checkReasons({});
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatch(new RegExp(`^${escape(path.baseUrl)} is not set; .*GITLAB_BASE_URL`));
    expect(reasons[1]).toMatch(new RegExp(`^${escape(path.token)} is not set; ${escape(path.setToken)}`));
  });

  it("Check: a base URL that is no URL", async () => {
    expect(await path.checkReasons({ baseUrl: "gitlab.example.com", token: "t" })).toEqual([
      `${path.baseUrl} is not an absolute URL; use e.g. https://gitlab.example.com`,
    ]);
  });

  it("Check: credentials in the base URL point at the token setting", async () => {
    expect(await path.checkReasons({ baseUrl: "https://root:hunter2@gitlab.example.com", token: "t" })).toEqual([
      `${path.baseUrl} must not contain credentials; put the token in ${path.token}${path === environment ? "" : " (or GITLAB_TOKEN)"}`,
    ]);
  });

  it("a call with the base URL unset", async () => {
    const err = await path.failedRead({ token: "t" });
    expect(err).toMatchObject({ code: "GLM_ERR_CONFIG", key: path.baseUrl, setting: "baseUrl" });
    expect(messageChain(err)).toContain(`Invalid configuration ${path.baseUrl}`);
  });

  it("a call with the token unset", async () => {
    const err = await path.failedRead({ baseUrl: "https://gitlab.example.com" });
    expect(err).toMatchObject({ code: "GLM_ERR_CONFIG", key: path.token, setting: "token" });
  });

  it("a call with a bad base URL", async () => {
    const err = await path.failedRead({ baseUrl: "https://root:hunter2@gitlab.example.com", token: "t" });
    expect(err).toMatchObject({ code: "GLM_ERR_CONFIG", key: path.baseUrl, setting: "baseUrl" });
    expect(messageChain(err)).toContain(`put the token in ${path.token}`);
    expect(messageChain(err)).not.toContain("hunter2");
  });

  it("connection refused", async () => {
    const err = await path.failedRead({ baseUrl: refusedUrl, token: "t" });
    expect(settingOf(err)).toBe("baseUrl");
    expect(messageChain(err)).toContain(`connection refused (ECONNREFUSED)`);
    expect(messageChain(err)).toContain(`Check that ${path.baseUrl} names the right host and port`);
  });

  it("401", async () => {
    const err = await path.failedRead({ baseUrl: unauthorizedUrl, token: "t" });
    expect(err).toMatchObject({ code: "GLM_ERR_GITLAB_API", status: 401, setting: "token" });
    expect(messageChain(err)).toContain(`If the token was rotated, set the new one (${path.setToken})`);
  });

  afterEach(async () => {
    // No message of this adapter names another adapter's settings.
    const everything = [
      ...(await path.checkReasons({})),
      messageChain(await path.failedRead({})),
      messageChain(await path.failedRead({ baseUrl: "https://root:x@gitlab.example.com", token: "t" })),
    ].join("\n");
    for (const name of othersNames(path)) expect(everything).not.toContain(name);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
