/** Prints the plugin's package schema (what `pulumi package get-schema` shows), for the SDK generators. */
import { packageInfo } from "./package-root";
import { packageSchema } from "./schema";

process.stdout.write(`${JSON.stringify(packageSchema(packageInfo().version), null, 2)}\n`);
