import * as pulumi from "@pulumi/pulumi";

interface AuthorizedKeyInputs {
  file: string;
  publicKey: string;
}

// A line in an authorized_keys file, as a tiny dynamic resource of this example. Methods
// require what they use at run time, so nothing from this program is captured in the state.
const authorizedKeyProvider: pulumi.dynamic.ResourceProvider<AuthorizedKeyInputs> = {
  async create(inputs) {
    const fs = require("fs") as typeof import("fs");
    const line = inputs.publicKey.trim();
    const existing = fs.existsSync(inputs.file) ? fs.readFileSync(inputs.file, "utf8").split("\n") : [];
    if (!existing.includes(line)) fs.appendFileSync(inputs.file, `${line}\n`, { mode: 0o600 });
    return { id: `${inputs.file}#${line.split(" ")[1]?.slice(-16) ?? "key"}`, outs: { ...inputs, line } };
  },
  async diff(_id, olds, news) {
    const replaces = (["file", "publicKey"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
  },
  async delete(_id, props) {
    const fs = require("fs") as typeof import("fs");
    if (!fs.existsSync(props.file)) return;
    const kept = fs.readFileSync(props.file, "utf8").split("\n").filter((l: string) => l && l !== props.publicKey.trim());
    fs.writeFileSync(props.file, kept.length ? `${kept.join("\n")}\n` : "", { mode: 0o600 });
  },
};

export class AuthorizedKey extends pulumi.dynamic.Resource {
  declare readonly line: pulumi.Output<string>;

  constructor(name: string, args: { file: pulumi.Input<string>; publicKey: pulumi.Input<string> }, opts?: pulumi.CustomResourceOptions) {
    super(authorizedKeyProvider, name, { ...args, line: undefined }, opts, "gitlab-mirrors-example", "AuthorizedKey");
  }
}
