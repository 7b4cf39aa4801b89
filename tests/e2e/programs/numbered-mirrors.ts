// An end-to-end test program: `mirrors:count` RemoteMirrors (dynamic path) of one project, named m0, m1, …,
// with the URLs `<mirrors:urlPrefix><i>.git` (the prefix, credentials included, is a secret).
import * as pulumi from "@pulumi/pulumi";
import { RemoteMirror } from "gitlab-mirrors";

const config = new pulumi.Config("mirrors");
const count = config.requireNumber("count");
const project = config.requireNumber("project");
const prefix = config.requireSecret("urlPrefix");

const mirrors = Array.from({ length: count }, (_, i) => new RemoteMirror(`m${i}`, { project, url: pulumi.interpolate`${prefix}${i}.git` }));

export const mirrorIds = mirrors.map((m) => m.mirrorId);
