import type { EmulatorSeed } from "../../emulator";

/** Users with every role the permission rules distinguish, and projects of each visibility. */
export const PERMISSIONS_SEED: EmulatorSeed = {
  settings: { edition: "ee", allowLocalRequests: true, mirrorAvailable: true, maxEnabledMirrorsPerProject: 10, syncBackoff: false },
  users: [
    { username: "root", admin: true, tokens: [{ token: "glpat-emulator-root-token", scopes: ["api"] }] },
    { username: "alice", tokens: [{ token: "glpat-emulator-alice-token", scopes: ["api"] }, { token: "glpat-alice-read-api", scopes: ["read_api"] }] },
    { username: "olga", tokens: [{ token: "glpat-olga-owner-token", scopes: ["api"] }] },
    { username: "bob", tokens: [{ token: "glpat-bob-developer-token", scopes: ["api"] }] },
    {
      username: "carol",
      tokens: [
        { token: "glpat-carol-outsider-token", scopes: ["api"] },
        { token: "glpat-carol-expired-token", scopes: ["api"], expiresAt: "2020-01-01" },
        { token: "glpat-carol-revoked-token", scopes: ["api"], revoked: true },
      ],
    },
  ],
  projects: [
    { id: 1, path: "demo/app", visibility: "private", members: { alice: "maintainer", bob: "developer", olga: "owner" }, protectedBranches: ["main"], defaultBranch: "main" },
    { id: 2, path: "group/public-app", visibility: "public", members: { alice: "maintainer" }, protectedBranches: [], defaultBranch: "main", previousPaths: ["old-group/app"] },
    { id: 3, path: "group/sub/internal-app", visibility: "internal", members: {}, protectedBranches: [], defaultBranch: "main" },
    { id: 4, path: "other/secret", visibility: "private", members: { bob: "maintainer" }, protectedBranches: [], defaultBranch: "main" },
  ],
  targets: [{ path: "backup/app", username: "mirror-bot", password: "emulator-target-password" }],
};

export const TOKENS = {
  root: "glpat-emulator-root-token",
  alice: "glpat-emulator-alice-token",
  aliceReadApi: "glpat-alice-read-api",
  olga: "glpat-olga-owner-token",
  bob: "glpat-bob-developer-token",
  carol: "glpat-carol-outsider-token",
  expired: "glpat-carol-expired-token",
  revoked: "glpat-carol-revoked-token",
};
