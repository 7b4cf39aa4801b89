/**
 * The dynamic path's engine floor: the fleet's shape (`fleet:count` resources over projects of
 * `fleet:perProject`, the URL a secret with credentials, `fleet:enabled`) as `pulumi.dynamic.Resource`s
 * whose provider does nothing but return an id (and accept an update).
 */
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("fleet");
const count = config.requireNumber("count");
const perProject = config.getNumber("perProject") ?? 10;
const enabled = config.getBoolean("enabled") ?? true;
const targetToken = config.requireSecret("targetToken");

const noopProvider: pulumi.dynamic.ResourceProvider = {
  create: async (inputs) => ({ id: `noop-${Math.random().toString(36).slice(2)}`, outs: inputs }),
  update: async (_id, _olds, news) => ({ outs: news }),
};

class NoopMirror extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, pulumi.Input<unknown>>) {
    super(noopProvider, name, args, undefined, "noop-mirrors", "NoopMirror");
  }
}

for (let index = 0; index < count; index += 1) {
  new NoopMirror(`app-${index}`, {
    project: `fleet/p-${Math.floor(index / perProject)}`,
    url: pulumi.interpolate`https://fleet-bot:${targetToken}@mirror.example.com/fleet/app-${index}.git`,
    enabled,
    syncOnApply: false,
  });
}
