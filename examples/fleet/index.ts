import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror } from "gitlab-mirrors";

// A fleet of push mirrors: `fleet:count` mirrors over projects fleet/p-0, fleet/p-1, ... with
// `fleet:perProject` mirrors each. The GitLab connection comes from `gitlab:baseUrl` and `gitlab:token`.
// No mirror asks for a sync, so GitLab pushes nothing to the targets.
const MAX_COUNT = 2000;
// GitLab allows 10 enabled mirrors per project.
const MAX_PER_PROJECT = 10;

const config = new pulumi.Config();
const count = config.getNumber("count") ?? 20;
const perProject = config.getNumber("perProject") ?? MAX_PER_PROJECT;
if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
  throw new Error(`fleet:count must be an integer from 0 to ${MAX_COUNT}, not ${count}`);
}
if (!Number.isInteger(perProject) || perProject < 1 || perProject > MAX_PER_PROJECT) {
  throw new Error(`fleet:perProject must be an integer from 1 to ${MAX_PER_PROJECT}, not ${perProject}`);
}
const enabled = config.getBoolean("enabled") ?? true;
const targetBase = (config.get("targetBase") ?? "https://mirror.example.com/fleet").replace(/\/+$/, "");
const targetUser = config.get("targetUser") ?? "fleet-bot";
const targetToken = config.requireSecret("targetToken");

/** Where mirror i pushes, credentials included; a secret because the token is one. */
function targetUrl(index: number): pulumi.Output<string> {
  return targetToken.apply((token) => {
    const url = new URL(`${targetBase}/app-${index}.git`);
    url.username = targetUser;
    url.password = token;
    return url.toString();
  });
}

const mirrors: RemoteMirror[] = [];
for (let index = 0; index < count; index += 1) {
  mirrors.push(
    new RemoteMirror(`app-${index}`, {
      project: `fleet/p-${Math.floor(index / perProject)}`,
      url: targetUrl(index),
      enabled,
      syncOnApply: false,
    }),
  );
}

export const mirrorCount = mirrors.length;
export const projectCount = Math.ceil(count / perProject);
export const firstIds = mirrors.slice(0, 3).map((mirror) => mirror.id);
export const lastId = mirrors.length > 0 ? mirrors[mirrors.length - 1].id : undefined;
