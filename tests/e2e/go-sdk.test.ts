/**
 * examples/go through the generated Go SDK (sdk/go, by a `replace`), the provider plugin from
 * this checkout and the real pulumi CLI, run inline by Go's Automation API.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeSdkLifecycle } from "../sdk/lifecycle";
import { execFileAsync, ProgramStack, repoRoot, sdkTools } from "../sdk/support";
import { pulumiBinDirForTests } from "./support";

jest.setTimeout(300_000);

const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-go-e2e-"));
const stackCli = path.join(buildDir, "stackcli");

describeSdkLifecycle("examples/go with the generated SDK and the real pulumi CLI", {
  project: "quickstart-go",
  async setUp() {
    await sdkTools("go");
    await execFileAsync("go", ["build", "-o", stackCli, "."], {
      cwd: path.join(repoRoot, "tests", "e2e", "go"),
      timeout: 600_000,
    });
  },
  makeStack: (config, program) =>
    new ProgramStack((operation, { stateDir, configFile }) => ({
      file: stackCli,
      args: [operation, "-project", "quickstart-go", "-stack", "e2e", "-state-dir", stateDir,
        "-config-file", configFile, "-plugin-dir", repoRoot, "-program", program],
      env: { PULUMI_BIN_DIR: pulumiBinDirForTests() },
    }), config),
});

afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));
