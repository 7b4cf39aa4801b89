import * as pulumi from "@pulumi/pulumi";
import { remoteMirrorProvider } from "../../provider/dynamic/provider";
import type { MirrorInputs, OutputOnlyField } from "../../provider/mirror/fields";
import type { MirrorOutputs } from "../../provider/mirror/outputs";

/**
 * The inputs of a {@link RemoteMirror}. GitLab's API names are given in brackets.
 */
export interface RemoteMirrorArgs {
  /**
   * The project to mirror: its numeric id or its full path ("group/sub/app") [`id`].
   * Changing it replaces the mirror (a path and the id it resolves to count as the same project).
   */
  project: pulumi.Input<number | string>;
  /**
   * The target URL, credentials included, e.g. `https://user:token@host/group/repo.git` or
   * `ssh://git@host/group/repo.git` [`url`]. Schemes: http, https, ssh, git. Stored as a secret.
   * GitLab cannot change a mirror's URL, so changing the scheme, host, port, path **or the credentials**
   * replaces the mirror; when only the credentials change, the old mirror is deleted first (GitLab rejects
   * a duplicate URL and allows 10 enabled mirrors per project).
   */
  url: pulumi.Input<string>;
  /** Whether GitLab pushes to the mirror [`enabled`]. Default `true` (GitLab's own default is false). Updates in place. */
  enabled?: pulumi.Input<boolean>;
  /**
   * How GitLab authenticates to the target [`auth_method`]: `"password"` (credentials in the URL) or
   * `"ssh_public_key"` (GitLab generates a key pair; add {@link RemoteMirror.publicKey} to the target as a
   * deploy key). `ssh_public_key` needs an `ssh://` URL. Default `"password"`. Updates in place.
   */
  authMethod?: pulumi.Input<"password" | "ssh_public_key">;
  /**
   * Mirror only protected branches [`only_protected_branches`]. Default `true` unless `mirrorBranchRegex`
   * is set (a project without protected branches then mirrors every branch). Updates in place. Cannot be
   * `true` together with `mirrorBranchRegex`.
   */
  onlyProtectedBranches?: pulumi.Input<boolean>;
  /**
   * Keep refs that diverged on the target instead of force-pushing over them [`keep_divergent_refs`].
   * Default `true`. `false` force-pushes every mirrored branch and deletes branches on the target that were
   * merged and deleted in GitLab. Updates in place.
   */
  keepDivergentRefs?: pulumi.Input<boolean>;
  /**
   * Mirror only branches matching this RE2 regular expression (at most 255 characters; no lookaround or
   * backreferences) [`mirror_branch_regex`, GitLab Premium/Ultimate]. Cannot be combined with
   * `onlyProtectedBranches: true`. Default: none (then protected branches only). Updates in place.
   */
  mirrorBranchRegex?: pulumi.Input<string>;
  /**
   * SSH host keys of the target, as known_hosts lines or bare keys (at most 10) [`host_keys`]. Used for
   * ssh:// URLs. GitLab only reports their SHA256 fingerprints; a refresh compares them with these keys and
   * the next update sends the keys again if they differ. Default: none. Updates in place.
   */
  hostKeys?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Ask GitLab to push (`POST …/sync`) after creating the mirror and after an update that changed it.
   * Skipped for disabled mirrors. Default `false`. Updates in place (no API call).
   */
  syncOnApply?: pulumi.Input<boolean>;
  /**
   * After a sync this provider requested, wait until GitLab reports `finished` (the step fails with
   * GLM_ERR_SYNC_FAILED and GitLab's `last_error` on `failed`). Has no effect without a sync
   * (`syncOnApply` or a `syncTrigger` change). Default `false`. Updates in place (no API call).
   */
  waitForSync?: pulumi.Input<boolean>;
  /**
   * Bound on `waitForSync`, in seconds (at most 3600); beyond it the step fails with GLM_ERR_SYNC_TIMEOUT.
   * GitLab may defer repeated syncs by 1-5 minutes. Default `300`. Updates in place (no API call).
   */
  syncTimeoutSeconds?: pulumi.Input<number>;
  /** Any change of this value makes the next update request a sync, with no other API change. Default: none. */
  syncTrigger?: pulumi.Input<string>;
  /**
   * On create, take over an existing mirror of the project whose URL (without credentials) matches
   * instead of creating one (`pulumi import` does not work for dynamic resources). GitLab does not reveal
   * the adopted mirror's credentials: they are assumed to be the ones in `url`; change the credentials in
   * `url` to force a replacement if they are not. Default `false`. Updates in place (no API call).
   */
  adopt?: pulumi.Input<boolean>;
}

/** The properties of a {@link RemoteMirror} once created: every input (defaults applied) plus GitLab's view. */
export type RemoteMirrorOutputs = MirrorOutputs;

// The arguments are exactly the field table's inputs, each a pulumi.Input of the table's type: the
// compiler fails here when a field is added, removed or retyped on one side only.
type ArgValues = { [K in keyof RemoteMirrorArgs]-?: pulumi.Unwrap<NonNullable<RemoteMirrorArgs[K]>> };
type TableValues = { [K in keyof MirrorInputs]-?: NonNullable<MirrorInputs[K]> };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const argsAreTheTable: Same<ArgValues, TableValues> = true;
void argsAreTheTable;

// The outputs that are not inputs, listed here rather than imported so that a program loads no
// validation code (zod, RE2) with the SDK; the compiler holds the list to the field table.
const OUTPUT_ONLY_FIELDS = [
  "mirrorId",
  "projectId",
  "maskedUrl",
  "updateStatus",
  "lastError",
  "lastUpdateAt",
  "lastUpdateStartedAt",
  "lastSuccessfulUpdateAt",
  "publicKey",
  "hostKeyFingerprints",
] as const satisfies readonly OutputOnlyField[];
const outputsAreTheTable: Same<(typeof OUTPUT_ONLY_FIELDS)[number], OutputOnlyField> = true;
void outputsAreTheTable;

/**
 * One push mirror ("remote mirror") of one GitLab project. Connection: stack config `gitlab:baseUrl` and
 * `gitlab:token` (secret), or the GITLAB_BASE_URL and GITLAB_TOKEN environment variables.
 * The resource id is `<projectId>:<mirrorId>`.
 */
export class RemoteMirror extends pulumi.dynamic.Resource {
  // `declare` (not fields): with ES2022 class fields, a field would be reset to undefined after super().
  declare readonly project: pulumi.Output<number | string>;
  declare readonly url: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly authMethod: pulumi.Output<"password" | "ssh_public_key">;
  declare readonly onlyProtectedBranches: pulumi.Output<boolean>;
  declare readonly keepDivergentRefs: pulumi.Output<boolean>;
  declare readonly mirrorBranchRegex: pulumi.Output<string | null>;
  declare readonly hostKeys: pulumi.Output<string[]>;
  declare readonly syncOnApply: pulumi.Output<boolean>;
  declare readonly waitForSync: pulumi.Output<boolean>;
  declare readonly syncTimeoutSeconds: pulumi.Output<number>;
  declare readonly syncTrigger: pulumi.Output<string | null>;
  declare readonly adopt: pulumi.Output<boolean>;
  /** GitLab's id of the mirror within the project. */
  declare readonly mirrorId: pulumi.Output<number>;
  /** The project's numeric id (also when `project` is a path). */
  declare readonly projectId: pulumi.Output<number>;
  /** The URL as GitLab shows it, credentials masked (`https://*****:*****@host/...`); null if GitLab could not parse it. */
  declare readonly maskedUrl: pulumi.Output<string | null>;
  /** GitLab's `update_status`: none, started, finished, failed or to_retry. */
  declare readonly updateStatus: pulumi.Output<string>;
  /** GitLab's `last_error`, with credentials and the token masked. */
  declare readonly lastError: pulumi.Output<string | null>;
  declare readonly lastUpdateAt: pulumi.Output<string | null>;
  declare readonly lastUpdateStartedAt: pulumi.Output<string | null>;
  declare readonly lastSuccessfulUpdateAt: pulumi.Output<string | null>;
  /** The public key to install on the target (ssh:// URLs with authMethod "ssh_public_key" only). */
  declare readonly publicKey: pulumi.Output<string | undefined>;
  /** SHA256 fingerprints of the host keys GitLab holds for the mirror. */
  declare readonly hostKeyFingerprints: pulumi.Output<string[]>;

  constructor(name: string, args: RemoteMirrorArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {
      project: args.project,
      url: pulumi.secret(args.url),
      enabled: args.enabled,
      authMethod: args.authMethod,
      onlyProtectedBranches: args.onlyProtectedBranches,
      keepDivergentRefs: args.keepDivergentRefs,
      mirrorBranchRegex: args.mirrorBranchRegex,
      hostKeys: args.hostKeys,
      syncOnApply: args.syncOnApply,
      waitForSync: args.waitForSync,
      syncTimeoutSeconds: args.syncTimeoutSeconds,
      syncTrigger: args.syncTrigger,
      adopt: args.adopt,
    };
    // Output-only properties exist on the resource object only if present in props.
    for (const key of OUTPUT_ONLY_FIELDS) props[key] = undefined;
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "url"];
    super(remoteMirrorProvider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "gitlab-mirrors", "RemoteMirror");
  }
}
