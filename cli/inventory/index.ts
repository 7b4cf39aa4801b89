/**
 * The mirror inventory (groups → projects → mirror targets), as the `gitlab-mirrors fleet` command and the
 * inventory example read it: `import { readInventoryFile } from "gitlab-mirrors/inventory"`.
 */
export {
  MAX_ENABLED_MIRRORS_PER_PROJECT,
  credentialsSchema,
  formatPath,
  inventoryError,
  loadInventory,
  parseInventoryText,
  resolveInventory,
  urlWithCredentials,
} from "./inventory";
export type { Credentials, Inventory, InventoryMirror, InventoryProblem, MirrorsByGroup } from "./inventory";
export { MAX_CREDENTIALS_BYTES, MAX_INVENTORY_BYTES, readBounded, readCredentialsFile, readInventoryFile } from "./files";
export { inlineCredentialProblem, projectIdentity, projectKeyProblem, targetIdentity } from "./identity";
