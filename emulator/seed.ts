/**
 * The seed: who exists, which projects, which settings. Validated with zod so a bad seed file
 * fails at start with the path of every problem.
 */
import { z } from "zod";

export type Edition = "ee" | "ce";
export type Visibility = "private" | "internal" | "public";
export type Role = "guest" | "reporter" | "developer" | "maintainer" | "owner";

export interface EmulatorSettings {
  edition?: Edition;
  /** GitLab's `allow_local_requests_from_web_hooks_and_services`. */
  allowLocalRequests?: boolean;
  /** GitLab's instance setting `mirror_available`. */
  mirrorAvailable?: boolean;
  maxEnabledMirrorsPerProject?: number;
  /** When true, a sync within GitLab's back-off window (1 min protected-only, 5 min otherwise) is delayed. */
  syncBackoff?: boolean;
  /**
   * Not a GitLab setting: when false (the default), the emulator pushes only to loopback targets
   * (127.0.0.0/8, ::1, localhost) and fails a mirror pointing anywhere else without contacting it,
   * so tests and trials never send traffic off the machine by accident.
   */
  allowRemotePushes?: boolean;
}

export interface TokenSeed {
  token: string;
  scopes: string[];
  /** ISO date or time; from then on the token answers GitLab's "Token is expired" 401. */
  expiresAt?: string;
  /** A revoked token answers GitLab's "Token was revoked" 401. */
  revoked?: boolean;
}

export interface UserSeed {
  username: string;
  admin?: boolean;
  tokens?: TokenSeed[];
}

export interface ProjectSeed {
  id: number;
  /** Full path, e.g. `group/sub/app`. */
  path: string;
  visibility?: Visibility;
  members?: Record<string, Role>;
  /** Protected-branch rules; `*` is a wildcard as in GitLab. */
  protectedBranches?: string[];
  defaultBranch?: string;
  /** Old full paths of a moved project: GET through them redirects (301), other methods get 405. */
  previousPaths?: string[];
}

/** A plain repository served at `<base>/-/targets/<path>.git` with basic auth: a mirror target. */
export interface TargetSeed {
  path: string;
  username: string;
  password: string;
}

export interface EmulatorSeed {
  settings?: EmulatorSettings;
  users?: UserSeed[];
  projects?: ProjectSeed[];
  targets?: TargetSeed[];
}

export const DEFAULT_SETTINGS: Readonly<Required<EmulatorSettings>> = Object.freeze({
  edition: "ee",
  allowLocalRequests: true,
  mirrorAvailable: true,
  maxEnabledMirrorsPerProject: 10,
  syncBackoff: false,
  allowRemotePushes: false,
});

/** Used when no seed is given: one admin, one maintainer, one project, one target. */
export const DEFAULT_SEED: EmulatorSeed = Object.freeze({
  settings: { ...DEFAULT_SETTINGS },
  users: [
    { username: "root", admin: true, tokens: [{ token: "glpat-emulator-root-token", scopes: ["api"] }] },
    { username: "alice", tokens: [{ token: "glpat-emulator-alice-token", scopes: ["api"] }] },
  ],
  projects: [
    {
      id: 1,
      path: "demo/app",
      visibility: "private",
      members: { alice: "maintainer" },
      protectedBranches: ["main"],
      defaultBranch: "main",
    },
  ],
  targets: [{ path: "backup/app", username: "mirror-bot", password: "emulator-target-password" }],
}) as EmulatorSeed;

/** GitLab nests groups at most 20 deep; a path this long still fits under any data directory. */
export const MAX_REPO_PATH_SEGMENTS = 21;
export const MAX_REPO_PATH_LENGTH = 1024;

/** A project or target path: it becomes directories under the data dir, so it is bounded. */
export const repoPathSchema = z
  .string()
  .max(MAX_REPO_PATH_LENGTH, `must be at most ${MAX_REPO_PATH_LENGTH} characters`)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/, "must be slash-separated names of letters, digits, _ . -")
  .refine((p) => p.split("/").length <= MAX_REPO_PATH_SEGMENTS, `must have at most ${MAX_REPO_PATH_SEGMENTS} segments`)
  .refine((p) => !p.split("/").some((s) => s.length > 255), "segments must be at most 255 characters")
  .refine((p) => !p.split("/").some((s) => s.endsWith(".git") || s === "." || s === ".."), "segments must not end in .git or be . or ..");

const repoPath = repoPathSchema;

const seedSchema = z.strictObject({
  settings: z
    .strictObject({
      edition: z.enum(["ee", "ce"]).optional(),
      allowLocalRequests: z.boolean().optional(),
      mirrorAvailable: z.boolean().optional(),
      maxEnabledMirrorsPerProject: z.number().int().min(0).optional(),
      syncBackoff: z.boolean().optional(),
      allowRemotePushes: z.boolean().optional(),
    })
    .optional(),
  users: z
    .array(
      z.strictObject({
        username: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
        admin: z.boolean().optional(),
        tokens: z
          .array(
            z.strictObject({
              token: z.string().min(8),
              scopes: z.array(z.enum(["api", "read_api", "read_repository", "write_repository"])),
              expiresAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date").optional(),
              revoked: z.boolean().optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  projects: z
    .array(
      z.strictObject({
        id: z.number().int().positive(),
        path: repoPath.refine((p) => p.includes("/"), "must include a namespace, e.g. group/app"),
        visibility: z.enum(["private", "internal", "public"]).optional(),
        members: z.record(z.string(), z.enum(["guest", "reporter", "developer", "maintainer", "owner"])).optional(),
        protectedBranches: z.array(z.string().min(1)).optional(),
        defaultBranch: z.string().min(1).optional(),
        previousPaths: z.array(repoPath).optional(),
      }),
    )
    .optional(),
  targets: z.array(z.strictObject({ path: repoPath, username: z.string().min(1), password: z.string().min(1) })).optional(),
});

export class SeedError extends Error {
  override readonly name = "SeedError";
  readonly code = "EMU_ERR_BAD_SEED";
}

/** Validates a seed and checks cross-references (unique ids/paths/tokens, known members). */
export function parseSeed(input: unknown): EmulatorSeed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new SeedError(`invalid emulator seed:\n  ${lines.join("\n  ")}`);
  }
  const seed = result.data as EmulatorSeed;
  const problems: string[] = [];
  const usernames = new Set<string>();
  const tokens = new Set<string>();
  for (const user of seed.users ?? []) {
    if (usernames.has(user.username)) problems.push(`users: duplicate username ${user.username}`);
    usernames.add(user.username);
    for (const t of user.tokens ?? []) {
      if (tokens.has(t.token)) problems.push(`users.${user.username}: a token is used twice`);
      tokens.add(t.token);
    }
  }
  const ids = new Set<number>();
  const paths = new Set<string>();
  for (const project of seed.projects ?? []) {
    if (ids.has(project.id)) problems.push(`projects: duplicate id ${project.id}`);
    for (const p of [project.path, ...(project.previousPaths ?? [])]) {
      if (paths.has(p.toLowerCase())) problems.push(`projects: duplicate path ${p}`);
      paths.add(p.toLowerCase());
    }
    ids.add(project.id);
    for (const member of Object.keys(project.members ?? {})) {
      if (!usernames.has(member)) problems.push(`projects.${project.path}.members: unknown user ${member}`);
    }
  }
  const targetPaths = new Set<string>();
  for (const target of seed.targets ?? []) {
    if (targetPaths.has(target.path)) problems.push(`targets: duplicate path ${target.path}`);
    targetPaths.add(target.path);
  }
  if (problems.length > 0) throw new SeedError(`invalid emulator seed:\n  ${problems.join("\n  ")}`);
  return seed;
}
