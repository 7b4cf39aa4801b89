import * as pulumi from "@pulumi/pulumi";
import { remoteMirrorProvider } from "../../provider/dynamic/serialized-provider";
import type { MirrorInputs, OutputOnlyField } from "../../provider/mirror/fields";
import type { MirrorOutputs } from "../../provider/mirror/outputs";
import {
  INPUT_FIELDS,
  OUTPUT_ONLY_FIELDS,
  type RemoteMirrorArgs,
  type RemoteMirrorProperties,
  SECRET_PROPERTIES,
} from "./remote-mirror-fields";

export type { RemoteMirrorArgs };

/** The properties of a {@link RemoteMirror} once created: every input (defaults applied) plus GitLab's view. */
export type RemoteMirrorOutputs = MirrorOutputs;

// remote-mirror-fields.ts is rendered from the field table (tests/dynamic/fields.test.ts compares the
// text); these hold the types it renders to the table's own, so the compiler fails where they part.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type ArgValues = { [K in keyof RemoteMirrorArgs]-?: pulumi.Unwrap<NonNullable<RemoteMirrorArgs[K]>> };
type TableInputs = { [K in keyof MirrorInputs]-?: NonNullable<MirrorInputs[K]> };
type PropertyValues = { [K in keyof RemoteMirrorProperties]: RemoteMirrorProperties[K] extends pulumi.Output<infer T> ? T : never };
type TableOutputs = { [K in Exclude<keyof MirrorOutputs, "syncPending">]: MirrorOutputs[K] };
const argsAreTheTable: Same<ArgValues, TableInputs> = true;
const propertiesAreTheTable: Same<PropertyValues, TableOutputs> = true;
const outputsAreTheTable: Same<(typeof OUTPUT_ONLY_FIELDS)[number], OutputOnlyField> = true;
void [argsAreTheTable, propertiesAreTheTable, outputsAreTheTable];

// The properties are declared by the interface (merged into the class), not as class fields: with
// ES2022 class fields, a field would be reset to undefined after super().
export interface RemoteMirror extends RemoteMirrorProperties {}

/**
 * One push mirror ("remote mirror") of one GitLab project, as a dynamic resource: it needs nothing but
 * `npm install`. Connection: stack config `gitlab:baseUrl` and `gitlab:token` (secret), or the
 * GITLAB_BASE_URL and GITLAB_TOKEN environment variables. The resource id is `<projectId>:<mirrorId>`.
 * The provider plugin's RemoteMirror (`gitlab-mirrors/plugin`) has the same fields and more of Pulumi.
 */
export class RemoteMirror extends pulumi.dynamic.Resource {
  constructor(name: string, args: RemoteMirrorArgs, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = {};
    for (const key of INPUT_FIELDS) props[key] = args[key];
    props.url = pulumi.secret(args.url);
    // Output-only properties exist on the resource object only if present in props.
    for (const key of OUTPUT_ONLY_FIELDS) props[key] = undefined;
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), ...SECRET_PROPERTIES];
    super(remoteMirrorProvider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "gitlab-mirrors", "RemoteMirror");
  }
}
