/**
 * The local GitLab emulator: the remote-mirror API with real git behind it.
 * `createEmulator` builds everything (store, git runner, scheduler, clock) without listening;
 * `listen` binds the HTTP server. See docs/emulator.md.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { systemClock, type Clock } from "./clock";
import { DEFAULT_SEED, parseSeed, type EmulatorSeed, type TargetSeed, type TokenSeed, type Visibility } from "./seed";
import { Store, STORE_FILE, stateFromSeed } from "./store";
import { GitRunner } from "./git/runner";
import { Repositories } from "./git/repositories";
import { MirrorPusher } from "./mirroring/pusher";
import { MirrorScheduler } from "./mirroring/scheduler";
import { generateMirrorKey, type SshKeyPair } from "./model/ssh-key";
import { RequestCounters } from "./controls/counters";
import { Faults } from "./controls/faults";
import { Router } from "./http/router";
import { handleApi, sendJson } from "./http/api-handler";
import { handleControl } from "./http/control-handler";
import { requestMalformed, sendBadRequest } from "./http/malformed";
import { handleProjectGit, handleTargetGit } from "./http/git-routes";
import { registerRemoteMirrorRoutes } from "./api/remote-mirrors";
import { registerProjectRoutes } from "./api/projects";
import type { ApiContext, ServerLocation } from "./api/context";
import { KeyedQueue } from "./api/write-queue";
import { errors } from "./errors";

export type { EmulatorSeed, TargetSeed, EmulatorSettings, UserSeed, ProjectSeed, TokenSeed, Role, Visibility, Edition } from "./seed";
export { DEFAULT_SEED, parseSeed } from "./seed";
export { ManualClock, systemClock, type Clock } from "./clock";

/** How long close() lets running mirror pushes finish before killing them. */
const DEFAULT_CLOSE_GRACE_MS = 10_000;

export interface EmulatorOptions {
  seed?: EmulatorSeed;
  /** Everything persists here across restarts; without it a temporary directory is used and removed. */
  dataDir?: string;
  /** Host name used in public-key comments (`git@<publicHost>`); defaults to the listening host. */
  publicHost?: string;
  /** Injected time (back-off windows, timestamps, rate-limit windows). */
  clock?: Clock;
  /** Key generator, replaceable to speed up tests; defaults to RSA 4096. */
  generateKey?: () => Promise<SshKeyPair>;
  /** How long close() waits for running mirror pushes before killing them (default 10 s). */
  closeGraceMs?: number;
}

/** Who and what a running emulator serves (from its state, which wins over the seed on a restart). */
export interface EmulatorInventory {
  users: Array<{ username: string; admin: boolean; tokens: TokenSeed[] }>;
  projects: Array<{ id: number; path: string; visibility: Visibility; cloneUrl: string }>;
  targets: Array<{ path: string; username: string; url: string }>;
}

export interface RunningEmulator {
  readonly baseUrl: string;
  readonly apiUrl: string;
  readonly dataDir: string;
  /** Users with their tokens, projects and targets, for a start-up listing. */
  inventory(): EmulatorInventory;
  /** Resolves when no mirror update is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface Emulator {
  listen(opts?: { host?: string; port?: number }): Promise<RunningEmulator>;
}


class EmulatorImpl implements Emulator {
  private readonly seed: EmulatorSeed;
  private readonly clock: Clock;
  private readonly dataDir: string;
  private readonly temporary: boolean;
  private readonly store: Store;
  private readonly git: GitRunner;
  private readonly repos: Repositories;
  private readonly scheduler: MirrorScheduler;
  private readonly counters = new RequestCounters();
  private readonly faults: Faults;
  private readonly router = new Router();
  private location: ServerLocation | undefined;
  private listening = false;

  constructor(private readonly options: EmulatorOptions) {
    this.seed = parseSeed(options.seed ?? DEFAULT_SEED);
    this.clock = options.clock ?? systemClock;
    this.temporary = options.dataDir === undefined;
    this.dataDir = options.dataDir ? path.resolve(options.dataDir) : fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-emulator-"));
    fs.mkdirSync(this.dataDir, { recursive: true });
    for (const dir of ["home", "ssh", "repositories"]) fs.mkdirSync(path.join(this.dataDir, dir), { recursive: true, mode: 0o700 });
    this.store = Store.open(path.join(this.dataDir, STORE_FILE), () => stateFromSeed(this.seed, this.clock.now())).store;
    this.git = new GitRunner({ homeDir: path.join(this.dataDir, "home") });
    this.repos = new Repositories(path.join(this.dataDir, "repositories"), this.git);
    this.scheduler = new MirrorScheduler(this.store, this.repos, this.clock, new MirrorPusher(this.git, this.repos, path.join(this.dataDir, "ssh")));
    this.faults = new Faults(this.clock);
    const ctx: ApiContext = {
      store: this.store,
      repos: this.repos,
      clock: this.clock,
      syncer: this.scheduler,
      location: () => this.requireLocation(),
      generateKey: options.generateKey ?? (() => generateMirrorKey()),
      mirrorWrites: new KeyedQueue(),
    };
    registerProjectRoutes(this.router, ctx);
    registerRemoteMirrorRoutes(this.router, ctx);
  }

  private requireLocation(): ServerLocation {
    if (!this.location) throw new Error("emulator is not listening");
    return this.location;
  }

  private async ensureRepositories(): Promise<void> {
    for (const project of this.store.projects()) await this.repos.ensureBare(this.repos.projectRepo(project.id), project.defaultBranch);
    for (const target of this.store.targets()) await this.repos.ensureBare(this.repos.targetRepo(target.path), "main");
  }

  private async createTarget(target: TargetSeed): Promise<void> {
    if (this.store.findTarget(target.path)) throw errors.conflict(`target ${target.path} already exists`);
    await this.repos.ensureBare(this.repos.targetRepo(target.path), "main");
    this.store.addTarget(target);
    await this.store.flushed();
  }

  private async reset(): Promise<void> {
    await this.scheduler.drain();
    this.repos.remove(this.repos.projectsRoot());
    this.repos.remove(this.repos.targetsRoot());
    fs.rmSync(path.join(this.dataDir, "ssh"), { recursive: true, force: true });
    fs.mkdirSync(path.join(this.dataDir, "ssh"), { recursive: true, mode: 0o700 });
    this.store.replaceState(stateFromSeed(this.seed, this.clock.now()));
    this.counters.reset();
    this.faults.clear();
    await this.ensureRepositories();
    await this.store.flushed();
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (requestMalformed(req.url ?? "/", req.headers)) {
      req.resume();
      sendBadRequest(res);
      return;
    }
    const rawPath = (req.url ?? "/").split("?")[0];
    if (rawPath === "/api/v4" || rawPath.startsWith("/api/v4/")) {
      await handleApi({ router: this.router, store: this.store, counters: this.counters, faults: this.faults, now: () => this.clock.now() }, req, res, rawPath.slice("/api/v4".length));
      return;
    }
    if (rawPath.startsWith("/-/emulator/")) {
      await handleControl(
        {
          counters: this.counters,
          faults: this.faults,
          baseUrl: () => this.requireLocation().baseUrl,
          createTarget: (t) => this.createTarget(t),
          reset: () => this.reset(),
          idle: () => this.scheduler.idle(),
        },
        req,
        res,
        rawPath.slice("/-/emulator".length),
      );
      return;
    }
    const gitDeps = { store: this.store, repos: this.repos, git: this.git, onProjectPush: (id: number) => this.scheduler.onProjectPush(id), now: () => this.clock.now() };
    if (rawPath.startsWith("/-/targets/")) {
      if (await handleTargetGit(gitDeps, req, res, rawPath.slice("/-/targets".length))) return;
    } else if (await handleProjectGit(gitDeps, req, res, rawPath)) {
      return;
    }
    req.resume();
    sendJson(res, 404, { message: "404 Not Found" });
  }

  async listen(opts: { host?: string; port?: number } = {}): Promise<RunningEmulator> {
    if (this.listening) throw new Error("emulator is already listening");
    this.listening = true;
    await this.ensureRepositories();
    const host = opts.host ?? "127.0.0.1";
    const server = http.createServer((req, res) => {
      this.route(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: "500 Internal Server Error" });
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    const baseUrl = `http://${urlHost}:${port}`;
    const publicHost = this.options.publicHost ?? host;
    const hosts = [...new Set([host, publicHost, ...(isLoopback(host) ? ["127.0.0.1", "localhost", "::1"] : [])])];
    this.location = { baseUrl, hosts, port, publicHost };
    let closed: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closed ??= (async () => {
        // Pushes first: a mirror may be pushing into one of our own targets over this server.
        // A push that hangs (an unresponsive target) is killed after a grace period.
        const grace = new Promise<void>((resolve) => setTimeout(resolve, this.options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS).unref());
        await Promise.race([this.scheduler.close(), grace]);
        this.git.killAll();
        await this.scheduler.idle();
        // The pushes' last statuses, which no request has waited for.
        await this.store.flushed();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        this.git.killAll();
        if (this.temporary) fs.rmSync(this.dataDir, { recursive: true, force: true });
      })();
      return closed;
    };
    const dataDir = this.dataDir;
    const inventory = (): EmulatorInventory => ({
      users: this.store.users().map((u) => ({ username: u.username, admin: u.admin, tokens: u.tokens.map((t) => ({ ...t, scopes: [...t.scopes] })) })),
      projects: this.store.projects().map((p) => ({ id: p.id, path: p.path, visibility: p.visibility, cloneUrl: `${baseUrl}/${p.path}.git` })),
      targets: this.store.targets().map((t) => ({ path: t.path, username: t.username, url: `${baseUrl}/-/targets/${t.path}.git` })),
    });
    return { baseUrl, apiUrl: `${baseUrl}/api/v4`, dataDir, inventory, idle: () => this.scheduler.idle(), close };
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}


export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return new EmulatorImpl(options);
}

export async function startEmulator(options: EmulatorOptions & { host?: string; port?: number } = {}): Promise<RunningEmulator> {
  const { host, port, ...rest } = options;
  return createEmulator(rest).listen({ host, port });
}
