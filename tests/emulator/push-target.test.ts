/**
 * The one parse of a mirror URL and the remote git is given: built by the emulator from the
 * parsed parts, `scheme://` only, loopback literals only (unless remote pushes are allowed), and
 * no password on git's command line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GitRunner, type CommandResult, type RunOptions } from "../../emulator/git/runner";
import { Repositories } from "../../emulator/git/repositories";
import { MirrorPusher, type GitCommands } from "../../emulator/mirroring/pusher";
import { pushTarget } from "../../emulator/mirroring/push-target";
import { parseMirrorUrl } from "../../emulator/model/mirror-url";
import type { MirrorCredentials, MirrorRecord, ProjectRecord } from "../../emulator/model/types";
import { titledByFirstCell } from "../support/titles";
import { tempDir } from "./helpers";

describe("parseMirrorUrl", () => {
  it.each(titledByFirstCell<[string, Record<string, unknown>]>([
    ["https://bot:pw@host/x.git", { scheme: "https", user: "bot", password: "pw", host: "host", ipv6: false, port: undefined, path: "/x.git", url: "https://host/x.git" }],
    ["ssh://git@[::1]:2222/x.git", { scheme: "ssh", user: "git", password: undefined, host: "::1", ipv6: true, port: "2222", path: "/x.git", url: "ssh://[::1]:2222/x.git" }],
    ["https://user:p@ss@host/x.git", { user: "user", password: "p@ss", host: "host", url: "https://host/x.git" }],
    ["http://host", { host: "host", path: "", url: "http://host" }],
  ]))("splits %s", (_title, raw, expected) => {
    const parsed = parseMirrorUrl(raw);
    expect(parsed.ok && parsed.value).toMatchObject(expected);
  });

  it.each(titledByFirstCell<[string, string]>([
    ["https:bot:pw@127.0.0.1/x.git", "URI is invalid"],
    ["http:127.0.0.1/x.git", "URI is invalid"],
    ["HTTPS://host/x.git", "Only allowed schemes are http, https, ssh, git"],
    ["ftp://host/x", "Only allowed schemes are http, https, ssh, git"],
    ["http://exa mple.com/x", "URI is invalid"],
    ["http://host:99999/x", "URI is invalid"],
    ["http://[::1/x", "URI is invalid"],
    ["http://[nonsense]/x", "URI is invalid"],
    ["http://host/x\n.git", "URI is invalid"],
  ]))("refuses %s", (_title, raw, reason) => {
    expect(parseMirrorUrl(raw)).toEqual({ ok: false, reason });
  });
});

describe("pushTarget", () => {
  it.each(titledByFirstCell<[string, string | undefined, boolean, string]>([
    ["http://127.0.0.1:8080/t/x.git", undefined, false, "http://127.0.0.1:8080/t/x.git"],
    ["http://localhost:8080/t/x.git", undefined, false, "http://127.0.0.1:8080/t/x.git"],
    ["http://LOCALHOST/t/x.git", undefined, false, "http://127.0.0.1/t/x.git"],
    ["ssh://[::1]:2222/x.git", "git", false, "ssh://git@[::1]:2222/x.git"],
    ["ssh://127.0.0.2/x.git", "deploy bot", false, "ssh://deploy%20bot@127.0.0.2/x.git"],
    ["https://127.0.0.1/x.git", "bot", false, "https://127.0.0.1/x.git"],
    ["https://mirror.example.com/x.git", "bot", true, "https://mirror.example.com/x.git"],
    ["ssh://mirror.example.com:2222/x.git", "git", true, "ssh://git@mirror.example.com:2222/x.git"],
  ]))("builds the remote for %s", (_title, url, user, allowRemote, remote) => {
    expect(pushTarget(url, user, allowRemote)).toEqual({ ok: true, target: { scheme: url.slice(0, url.indexOf(":")), remote } });
  });

  it.each([["name.localhost"], ["127.1"], ["2130706433"], ["0x7f.0.0.1"], ["127.000.0.1"], ["[::ffff:7f00:1]"], ["mirror.example.com"]])(
    "refuses the host %s unless remote pushes are allowed",
    (host) => {
      const result = pushTarget(`ssh://${host}/x.git`, "git", false);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain("was not contacted");
    },
  );
});

function mirrorRecord(id: number, url: string, credentials: MirrorCredentials): MirrorRecord {
  return {
    id,
    projectId: 1,
    enabled: true,
    url,
    credentials,
    updateStatus: "started",
    lastUpdateAt: null,
    lastUpdateStartedAt: null,
    lastSuccessfulUpdateAt: null,
    lastError: null,
    onlyProtectedBranches: false,
    keepDivergentRefs: null,
    mirrorBranchRegex: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

function projectRecord(): ProjectRecord {
  return {
    id: 1,
    path: "demo/app",
    visibility: "private",
    members: {},
    protectedBranches: [],
    defaultBranch: "main",
    previousPaths: [],
    remoteMirrorAvailableOverridden: false,
    createdAt: 0,
  };
}

describe("MirrorPusher", () => {
  let work: string;
  beforeAll(() => {
    work = tempDir("pusher");
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("gives git only the remote it built; the password reaches git through askpass, never argv", async () => {
    const real = new GitRunner({ homeDir: work });
    const repos = new Repositories(path.join(work, "repositories"), real);
    await repos.ensureBare(repos.projectRepo(1), "main");
    const calls: Array<{ args: string[]; options?: RunOptions }> = [];
    const recording: GitCommands = {
      credentialEnv: (user, password) => real.credentialEnv(user, password),
      run: async (args: string[], options?: RunOptions): Promise<CommandResult> => {
        calls.push({ args, options });
        return { stdout: "", stderr: "", exitCode: 0 };
      },
    };
    const mirror = mirrorRecord(7, "http://127.0.0.1:9/t/x.git", { user: "bot", password: "Secret1-never-in-argv" });
    const project = projectRecord();
    const target = pushTarget(mirror.url, mirror.credentials.user, false);
    if (!target.ok) throw new Error(target.reason);
    await new MirrorPusher(recording, repos, path.join(work, "ssh")).push(mirror, project, target.target);
    expect(calls.map((c) => c.args)).toEqual([["ls-remote", "--refs", "http://127.0.0.1:9/t/x.git"]]);
    expect(calls[0].options?.env).toMatchObject({ GLM_MIRROR_USER: "bot", GLM_MIRROR_PASSWORD: "Secret1-never-in-argv" });
    expect(calls[0].options?.secrets).toEqual(["bot", "Secret1-never-in-argv"]);
  });

  it("writes an SSH mirror's key and known_hosts with mode 0600 for the run and removes them after it", async () => {
    const real = new GitRunner({ homeDir: work });
    const repos = new Repositories(path.join(work, "repositories"), real);
    await repos.ensureBare(repos.projectRepo(1), "main");
    const sshDir = path.join(work, "ssh");
    const modes: Record<string, number> = {};
    const recording: GitCommands = {
      credentialEnv: (user, password) => real.credentialEnv(user, password),
      run: async (args: string[], options?: RunOptions): Promise<CommandResult> => {
        for (const name of ["id_rsa", "known_hosts"]) modes[name] = fs.statSync(path.join(sshDir, "mirror-8", name)).mode & 0o777;
        expect(options?.env?.GIT_SSH_COMMAND).toContain("StrictHostKeyChecking=yes");
        expect(args).toEqual(["ls-remote", "--refs", "ssh://git@127.0.0.1:2222/x.git"]);
        return { stdout: "", stderr: "", exitCode: 0 };
      },
    };
    const mirror = mirrorRecord(8, "ssh://127.0.0.1:2222/x.git", {
      user: "git",
      authMethod: "ssh_public_key",
      sshPrivateKey: "-----BEGIN PRIVATE KEY-----\n",
      sshKnownHosts: "[127.0.0.1]:2222 ssh-ed25519 AAAA",
    });
    const project = projectRecord();
    const target = pushTarget(mirror.url, mirror.credentials.user, false);
    if (!target.ok) throw new Error(target.reason);
    await new MirrorPusher(recording, repos, sshDir).push(mirror, project, target.target);
    expect(modes).toEqual({ id_rsa: 0o600, known_hosts: 0o600 });
    expect(fs.existsSync(path.join(sshDir, "mirror-8"))).toBe(false);
  });
});
