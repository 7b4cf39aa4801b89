/**
 * examples/python through the generated Python SDK (pip-installed from sdk/python), the provider
 * plugin from this checkout and the real pulumi CLI, run inline by Python's Automation API.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeSdkLifecycle } from "../sdk/lifecycle";
import { installPythonSdk, ProgramStack, repoRoot, sdkTools } from "../sdk/support";
import { pulumiBinDirForTests } from "./support";

jest.setTimeout(300_000);

const programDirs = {
  quickstart: path.join(repoRoot, "examples", "python"),
  discover: path.join(repoRoot, "tests", "e2e", "python"),
};

let python: string;
let sdkSite: string;

describeSdkLifecycle("examples/python with the generated SDK and the real pulumi CLI", {
  project: "quickstart-python",
  async setUp() {
    python = (await sdkTools("python")).python;
    sdkSite = await installPythonSdk(python);
  },
  makeStack: (config, program) =>
    new ProgramStack((operation, { stateDir, configFile }) => ({
      file: python,
      args: [path.join(repoRoot, "tests", "e2e", "python", "stack_cli.py"), operation,
        "--program-dir", programDirs[program], "--function", program,
        "--project", "quickstart-python", "--stack", "e2e", "--state-dir", stateDir,
        "--config-file", configFile, "--plugin-dir", repoRoot],
      env: { PULUMI_BIN_DIR: pulumiBinDirForTests(), PYTHONPATH: sdkSite, PYTHONDONTWRITEBYTECODE: "1" },
    }), config),
});

afterAll(() => {
  if (sdkSite) fs.rmSync(path.dirname(sdkSite), { recursive: true, force: true });
});
