/**
 * Push mirrors from an inventory file: the GitOps form of the fleet example. The file lists groups,
 * their projects and each project's mirror targets, with settings shared at every level (see
 * inventory.yaml); every target becomes one RemoteMirror. Adding a target line adds a mirror on the
 * next `pulumi up`, removing it deletes that mirror. The file names credentials but never holds them:
 * their values are the stack's `inventory:credentials` secret.
 *
 * `inventory:group` restricts the stack to one group; left unset, the stack declares every group. For fleets
 * too large for one stack, `gitlab-mirrors fleet` applies the same file as one stack per group.
 */
import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror } from "gitlab-mirrors";
import { credentialsSchema, formatPath, inventoryError, readInventoryFile, urlWithCredentials, type Credentials } from "gitlab-mirrors/inventory";

const config = new pulumi.Config("inventory");
const file = config.get("file") ?? "inventory.yaml";
// Unset or "" (the default in Pulumi.yaml): every group in this one stack.
const onlyGroup = config.get("group") || undefined;

const byGroup = readInventoryFile(file);
if (onlyGroup !== undefined && !byGroup.has(onlyGroup)) {
  throw inventoryError(file, [{ path: "groups", message: `has no group ${onlyGroup} (inventory:group); it has ${[...byGroup.keys()].join(", ")}` }]);
}
const declared = [...byGroup.entries()].filter(([group]) => onlyGroup === undefined || group === onlyGroup).flatMap(([, mirrors]) => mirrors);

const needed = [...new Set(declared.flatMap((m) => (m.credentials ? [m.credentials] : [])))];
// One check of the credentials for the whole stack, all missing names at once; unset is fine when no target names any.
const credentials: pulumi.Output<Credentials> = (needed.length > 0 ? config.requireSecretObject<unknown>("credentials") : pulumi.secret<unknown>({})).apply(
  (raw) => {
    const parsed = credentialsSchema.safeParse(raw);
    if (!parsed.success) {
      throw inventoryError("inventory:credentials", parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
    }
    const missing = needed.filter((name) => !(name in parsed.data));
    if (missing.length > 0) {
      throw inventoryError("inventory:credentials", missing.map((name) => ({ path: formatPath([name]), message: `is named in ${file} but not set` })));
    }
    return parsed.data;
  },
);

const mirrors = declared.map(
  ({ name, group: _group, project, url, credentials: credentialName, ...settings }) =>
    new RemoteMirror(name, {
      project,
      url: pulumi.secret(credentials.apply((all) => urlWithCredentials(url, credentialName ? all[credentialName] : undefined))),
      ...settings,
    }),
);

export const mirrorCount = mirrors.length;
export const groups = onlyGroup !== undefined ? [onlyGroup] : [...byGroup.keys()];
