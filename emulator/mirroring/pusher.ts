/**
 * One mirror update: list the target's refs, plan (ref-plan.ts), push in batches of ten, to the
 * remote that push-target.ts built. HTTP credentials reach git through GIT_ASKPASS (never argv);
 * SSH uses the mirror's own key and its stored known hosts with strict host key checking, from
 * files written for the run and removed after it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Repositories } from "../git/repositories";
import { parseRefLines } from "../git/repositories";
import type { GitRunner } from "../git/runner";
import { branchMatcher, protectedRuleMatcher } from "../model/branch-regex";
import type { MirrorRecord, ProjectRecord } from "../model/types";
import { mirrorSecrets } from "../git/scrub";
import { planRefUpdates, type RefPlan } from "./ref-plan";
import type { PushTarget } from "./push-target";

const PUSH_BATCH = 10;

export interface PushOutcome {
  plan: RefPlan;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function gitConfigEnv(pairs: Array<[string, string]>): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Chooses which branches a mirror pushes; an empty selection means all branches. */
export function branchFilterFor(mirror: MirrorRecord, project: ProjectRecord, localBranches: string[]): (branch: string) => boolean {
  if (mirror.onlyProtectedBranches) {
    const rules = project.protectedBranches.map(protectedRuleMatcher);
    if (rules.length === 0) return () => true;
    return (branch) => rules.some((matches) => matches(branch));
  }
  if (mirror.mirrorBranchRegex) {
    const matches = branchMatcher(mirror.mirrorBranchRegex);
    const selected = new Set(localBranches.filter(matches));
    if (selected.size === 0) return () => true;
    return (branch) => selected.has(branch);
  }
  return () => true;
}

/** The two git calls the pusher needs, so tests can record what git was asked to do. */
export type GitCommands = Pick<GitRunner, "run" | "credentialEnv">;

export class MirrorPusher {
  constructor(
    private readonly git: GitCommands,
    private readonly repos: Repositories,
    /** Directory for per-mirror key and known_hosts files (mode 0600). */
    private readonly sshDir: string,
  ) {}

  /** Environment for talking to the mirror's target; the remote itself comes from pushTarget. */
  private accessEnv(mirror: MirrorRecord, target: PushTarget): Record<string, string> {
    const { user, password, authMethod, sshPrivateKey, sshKnownHosts } = mirror.credentials;
    if (target.scheme === "ssh") {
      const dir = this.sshFilesDir(mirror);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const knownHostsFile = path.join(dir, "known_hosts");
      fs.writeFileSync(knownHostsFile, sshKnownHosts ? `${sshKnownHosts}\n` : "", { mode: 0o600 });
      const command = ["ssh", "-F", "/dev/null", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
        "-o", `UserKnownHostsFile=${shellQuote(knownHostsFile)}`, "-o", "GlobalKnownHostsFile=/dev/null", "-o", "BatchMode=yes"];
      if (authMethod === "ssh_public_key" && sshPrivateKey) {
        const keyFile = path.join(dir, "id_rsa");
        fs.writeFileSync(keyFile, sshPrivateKey, { mode: 0o600 });
        fs.chmodSync(keyFile, 0o600);
        command.push("-i", shellQuote(keyFile));
      } else {
        command.push("-o", "IdentityFile=none");
      }
      return { GIT_SSH_COMMAND: command.join(" ") };
    }
    // With key auth GitLab drops the password from the remote; the user name stays.
    const effectivePassword = authMethod === "ssh_public_key" ? undefined : password;
    return { ...gitConfigEnv([["credential.helper", ""]]), ...this.git.credentialEnv(user, effectivePassword) };
  }

  private sshFilesDir(mirror: MirrorRecord): string {
    return path.join(this.sshDir, `mirror-${mirror.id}`);
  }

  /** The key file exists only while git runs: a deleted mirror leaves no private key on disk. */
  async push(mirror: MirrorRecord, project: ProjectRecord, target: PushTarget): Promise<PushOutcome> {
    try {
      return await this.pushWith(mirror, project, target);
    } finally {
      fs.rmSync(this.sshFilesDir(mirror), { recursive: true, force: true });
    }
  }

  private async pushWith(mirror: MirrorRecord, project: ProjectRecord, target: PushTarget): Promise<PushOutcome> {
    const repo = this.repos.projectRepo(project.id);
    const env = this.accessEnv(mirror, target);
    const secrets = mirrorSecrets(mirror.credentials);
    const run = (args: string[]) => this.git.run(args, { cwd: repo, env, secrets });
    const local = await this.repos.refs(repo);
    const listed = await run(["ls-remote", "--refs", target.remote]);
    const remote = parseRefLines(listed.stdout);
    const head = await this.repos.headBranch(repo);
    const defaultRef = head && local.has(`refs/heads/${head}`) ? `refs/heads/${head}` : undefined;
    const localBranches = [...local.keys()].filter((r) => r.startsWith("refs/heads/")).map((r) => r.slice(11));
    const plan = await planRefUpdates({
      local,
      remote,
      branchFilter: branchFilterFor(mirror, project, localBranches),
      keepDivergentRefs: mirror.keepDivergentRefs === true,
      defaultRef,
      isAncestor: (a, d) => this.repos.isAncestor(repo, a, d),
    });
    const refspecs = [...plan.updates, ...plan.deletions];
    for (let i = 0; i < refspecs.length; i += PUSH_BATCH) {
      await run(["push", "--porcelain", target.remote, ...refspecs.slice(i, i + PUSH_BATCH)]);
    }
    return { plan };
  }
}
