import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { packageInfo } from "../provider/plugin/package-root";

/** The checkout's root: found, not computed from __dirname, since this module runs from harness/ and dist/harness/. */
export const repoRoot = packageInfo().root;

/**
 * The directory holding `pulumi` and its Node.js plugins: $PULUMI_BIN_DIR when set, else what
 * scripts/setup-pulumi.sh reports (it builds the CLI on first use and reuses it afterwards).
 */
export function pulumiBinDir(): string {
  const fromEnv = process.env.PULUMI_BIN_DIR;
  if (fromEnv) return fromEnv;
  const out = execFileSync("bash", [path.join(repoRoot, "scripts", "setup-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = out.trim().split("\n");
  return lines[lines.length - 1];
}
