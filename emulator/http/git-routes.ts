/**
 * Who may clone and push over smart HTTP. Projects: a token as the password (any user name),
 * GitLab's visibility for reads, Developer or above for pushes. Targets: their own user name and
 * password for everything.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import { callerForGit, canPushToProject, canReadProject, type Caller } from "../api/access";
import type { Repositories } from "../git/repositories";
import type { GitRunner } from "../git/runner";
import type { Store } from "../store";
import { askForCredentials, basicCredentials, denyGit, gitServiceOf, serveWithHttpBackend } from "./git-http";

export interface GitRouteDeps {
  store: Store;
  repos: Repositories;
  git: GitRunner;
  onProjectPush(projectId: number): void;
  now(): number;
}

const REPO_PATH = /^\/(.+?)\.git(\/.*)?$/;

/** The smart-HTTP endpoints GitLab serves; dumb-protocol paths and anything else are not routes. */
const SMART_HTTP_SUFFIXES = new Set(["/info/refs", "/git-upload-pack", "/git-receive-pack"]);

/**
 * `/<path>.git/<smart-HTTP endpoint>`, or undefined (the caller answers 404): a `.` or `..`
 * segment anywhere, or a path that is not one of the three endpoints, never reaches git.
 */
export function splitRepoPath(rawPath: string): { repoPath: string; suffix: string } | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (decoded.split("/").some((segment) => segment === "." || segment === "..")) return undefined;
  const match = REPO_PATH.exec(decoded);
  if (!match || !SMART_HTTP_SUFFIXES.has(match[2] ?? "")) return undefined;
  return { repoPath: match[1], suffix: match[2] };
}

const READ_SCOPES = ["api", "read_repository", "write_repository"];
const WRITE_SCOPES = ["api", "write_repository"];

/** Returns false when the path is not a project repository (the caller answers 404). */
export async function handleProjectGit(deps: GitRouteDeps, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<boolean> {
  const split = splitRepoPath(rawPath);
  const project = split && deps.store.findProjectByPath(split.repoPath);
  if (!split || !project) return false;
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const service = gitServiceOf(req.method ?? "GET", split.suffix, url.searchParams);
  const credentials = basicCredentials(req);
  let caller: Caller | undefined;
  if (credentials) {
    const found = callerForGit(deps.store, credentials.password, deps.now());
    if (!found) {
      askForCredentials(res, "GitLab");
      return true;
    }
    caller = found;
  }
  const scopes = caller?.scopes ?? [];
  if (service === "upload-pack") {
    const readable = canReadProject(project, caller) && (!caller || scopes.some((s) => READ_SCOPES.includes(s)));
    if (!readable) {
      if (!caller) askForCredentials(res, "GitLab");
      else denyGit(res, 404, "The project you were looking for could not be found or you don't have permission to view it.");
      return true;
    }
  } else {
    if (!caller) {
      askForCredentials(res, "GitLab");
      return true;
    }
    if (!canReadProject(project, caller)) {
      denyGit(res, 404, "The project you were looking for could not be found or you don't have permission to view it.");
      return true;
    }
    if (!canPushToProject(project, caller) || !scopes.some((s) => WRITE_SCOPES.includes(s))) {
      denyGit(res, 403, "You are not allowed to push code to this project.");
      return true;
    }
  }
  const repo = deps.repos.projectRepo(project.id);
  const ok = await serveWithHttpBackend(deps.git, {
    req,
    res,
    projectRoot: path.dirname(repo),
    pathInfo: `/${path.basename(repo)}${split.suffix}`,
    remoteUser: caller?.user.username,
  });
  if (ok && service === "receive-pack" && req.method === "POST") deps.onProjectPush(project.id);
  return true;
}

export async function handleTargetGit(deps: GitRouteDeps, req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<boolean> {
  const split = splitRepoPath(rawPath);
  const target = split && deps.store.findTarget(split.repoPath);
  if (!split || !target) return false;
  const credentials = basicCredentials(req);
  if (!credentials || credentials.username !== target.username || credentials.password !== target.password) {
    askForCredentials(res, "Emulator target");
    return true;
  }
  await serveWithHttpBackend(deps.git, {
    req,
    res,
    projectRoot: deps.repos.targetsRoot(),
    pathInfo: `/${split.repoPath}.git${split.suffix}`,
    remoteUser: credentials.username,
  });
  return true;
}
