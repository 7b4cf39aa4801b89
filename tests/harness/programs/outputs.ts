// A program with no resource: its outputs echo the stack config, so every stack driver can be run
// through the same scenario in seconds.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const greeting = config.require("greeting");
export const password = config.requireSecret("password");
