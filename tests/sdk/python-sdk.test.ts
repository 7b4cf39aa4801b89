/**
 * The generated Python SDK as a user gets it: `pip install ./sdk/python`, then import. Its public
 * names, the schema's descriptions as docstrings, and what RemoteMirror sends to the engine.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileAsync, installPythonSdk, PackageSchema, printSchema, remoteMirrorSchema, repoRoot, sdkTools, words } from "./support";

jest.setTimeout(600_000);

interface Inspection {
  names: string[];
  argsDoc: string;
  propertyDocs: Record<string, string>;
  registration: { additionalSecretOutputs: string[]; urlIsSecret: boolean };
  providerRegistration: { baseUrl: string; tokenIsSecret: boolean };
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe("sdk/python installed with pip", () => {
  let scratch: string;
  let site: string;
  let schema: PackageSchema;
  let seen: Inspection;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-pysdk-test-"));
    schema = (await printSchema(scratch)).schema;
    const { python } = await sdkTools("python");
    site = await installPythonSdk(python, scratch);
    const { stdout } = await execFileAsync(python, [path.join(repoRoot, "tests", "sdk", "python", "inspect_sdk.py")], {
      env: { ...process.env, PYTHONPATH: site, PYTHONDONTWRITEBYTECODE: "1" },
      timeout: 120_000,
    });
    seen = JSON.parse(stdout.trim().split("\n").pop()!) as Inspection;
  });

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("pulumi_gitlab_mirrors exports RemoteMirror, RemoteMirrorArgs, Provider and get_remote_mirrors", () => {
    expect(seen.names).toEqual(expect.arrayContaining(["RemoteMirror", "RemoteMirrorArgs", "Provider", "get_remote_mirrors"]));
  });

  test("every input of RemoteMirrorArgs is documented with the schema's description", () => {
    const inputs = Object.entries(remoteMirrorSchema(schema).inputProperties);
    expect(inputs.length).toBeGreaterThan(0);
    for (const [name, { description }] of inputs) {
      expect(description).toBeTruthy();
      expect(words(seen.argsDoc)).toContain(`${snakeCase(name)}: ${words(description!)}`);
    }
  });

  test("every output of RemoteMirror is a property documented with the schema's description", () => {
    for (const [name, { description }] of Object.entries(remoteMirrorSchema(schema).properties)) {
      expect([name, words(seen.propertyDocs[snakeCase(name)] ?? "")]).toEqual([name, words(description ?? "")]);
    }
  });

  test("RemoteMirror sends the URL to the engine only as a secret, and asks it to keep publicKey (its one secret output) secret", () => {
    expect(seen.registration).toEqual({ additionalSecretOutputs: ["publicKey"], urlIsSecret: true });
  });

  test("an explicit Provider sends its base URL, and its token only as a secret", () => {
    expect(seen.providerRegistration).toEqual({ baseUrl: "https://gitlab.example.com", tokenIsSecret: true });
  });
});
