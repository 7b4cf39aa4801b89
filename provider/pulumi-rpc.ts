/**
 * Pulumi's gRPC stubs and the gRPC runtime, loaded from @pulumi/pulumi's own dependency tree: the
 * generated messages check their Struct fields against the google-protobuf copy they were built with,
 * so our Structs and server must come from the same copies, whatever npm hoisted where.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import type * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";

export interface PulumiRpc {
  grpc: typeof grpcTypes;
  provider: typeof providerProto;
  providerService: typeof providerGrpc.ResourceProviderService;
  plugin: typeof pluginProto;
  engine: typeof engineProto;
  EngineClient: typeof engineGrpc.EngineClient;
  Struct: typeof structProto.Struct;
  Empty: typeof emptyProto.Empty;
  /** google.rpc.Status, for error details such as ErrorResourceInitFailed. */
  Status: new () => { setCode(code: number): void; setMessage(message: string): void; addDetails(any: unknown): void; serializeBinary(): Uint8Array };
  Any: new () => { pack(serialized: Uint8Array, typeName: string): void };
}

/**
 * Where each piece comes from: a module, and the export to take from it (the whole module when none). The
 * release bundle (scripts/release/bundle-plugin.ts) writes the same table as static requires.
 */
export const RPC_MODULES: Readonly<Record<keyof PulumiRpc, readonly [module: string, exported?: string]>> = {
  grpc: ["@grpc/grpc-js"],
  provider: ["@pulumi/pulumi/proto/provider_pb"],
  providerService: ["@pulumi/pulumi/proto/provider_grpc_pb", "ResourceProviderService"],
  plugin: ["@pulumi/pulumi/proto/plugin_pb"],
  engine: ["@pulumi/pulumi/proto/engine_pb"],
  EngineClient: ["@pulumi/pulumi/proto/engine_grpc_pb", "EngineClient"],
  Struct: ["google-protobuf/google/protobuf/struct_pb", "Struct"],
  Empty: ["google-protobuf/google/protobuf/empty_pb", "Empty"],
  Status: ["@pulumi/pulumi/proto/status_pb", "Status"],
  Any: ["google-protobuf/google/protobuf/any_pb", "Any"],
};

let loaded: PulumiRpc | undefined;

export function pulumiRpc(): PulumiRpc {
  if (loaded !== undefined) return loaded;
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
  const pieces: Record<string, unknown> = {};
  for (const [name, [module, exported]] of Object.entries(RPC_MODULES)) {
    const loadedModule = fromPulumi(module) as Record<string, unknown>;
    pieces[name] = exported === undefined ? loadedModule : loadedModule[exported];
  }
  loaded = pieces as unknown as PulumiRpc;
  return loaded;
}
