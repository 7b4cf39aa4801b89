// An end-to-end test program: one RemoteMirror whose arguments come from stack config
// (`mirror:args`, JSON; the URL separately as the secret `mirror:url`), so a test can try any input.
import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror, RemoteMirrorArgs } from "gitlab-mirrors";

const config = new pulumi.Config("mirror");
const args = JSON.parse(config.get("args") ?? "{}") as Omit<RemoteMirrorArgs, "url">;
const mirror = new RemoteMirror("mirror", { ...args, url: config.requireSecret("url") });

export const mirrorId = mirror.mirrorId;
export const publicKey = mirror.publicKey;
