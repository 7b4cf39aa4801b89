/**
 * The generated Go SDK as a user gets it: a module that builds and passes `go vet`, whose
 * RemoteMirrorArgs fields carry the schema's descriptions, and whose RemoteMirror sends the URL
 * only as a secret (tests/sdk/go, under Pulumi's mocks).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { execFileAsync, PackageSchema, printSchema, remoteMirrorSchema, repoRoot, sdkTools, words } from "./support";

jest.setTimeout(900_000);

const sdkDir = path.join(repoRoot, "sdk", "go");

/** `go` in `dir`, with the module files as committed (a missing go.sum entry fails). */
async function go(dir: string, ...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync("go", args, { cwd: dir, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`go ${args.join(" ")} in ${path.relative(repoRoot, dir)} failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

/** The doc comment of each field of a Go struct, read from the generated source. */
function fieldDocs(source: string, struct: string): Record<string, string> {
  const body = new RegExp(`^type ${struct} struct \\{\\n([\\s\\S]*?)^\\}`, "m").exec(source);
  if (!body) throw new Error(`no struct ${struct}`);
  const docs: Record<string, string> = {};
  let comment: string[] = [];
  for (const line of body[1].split("\n").map((l) => l.trim())) {
    if (line.startsWith("//")) comment.push(line.replace(/^\/\/ ?/, ""));
    else if (line) {
      docs[line.split(/\s+/)[0]] = comment.join(" ");
      comment = [];
    }
  }
  return docs;
}

const goName = (name: string) => name[0].toUpperCase() + name.slice(1);

describe("sdk/go", () => {
  let scratch: string;
  let schema: PackageSchema;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-gosdk-test-"));
    schema = (await printSchema(scratch)).schema;
    await sdkTools("go");
  });

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("go build ./... and go vet ./... pass", async () => {
    await go(sdkDir, "build", "./...");
    expect(await go(sdkDir, "vet", "./...")).toBe("");
  });

  test("every field of RemoteMirrorArgs carries the schema's description", () => {
    const docs = fieldDocs(fs.readFileSync(path.join(sdkDir, "gitlabmirrors", "remoteMirror.go"), "utf8"), "RemoteMirrorArgs");
    for (const [name, { description }] of Object.entries(remoteMirrorSchema(schema).inputProperties)) {
      expect([name, words(docs[goName(name)] ?? "")]).toEqual([name, words(description ?? "")]);
    }
  });

  test("RemoteMirror sends the URL to the engine only as a secret, and asks it to keep publicKey (its one secret output) secret", async () => {
    const output = await go(path.join(repoRoot, "tests", "sdk", "go"), "test", "-count=1", "-v", "-run", "TestRemoteMirrorSendsTheURLAsASecretAndAsksForSecretOutputs", "./...");
    expect(output).toContain("--- PASS: TestRemoteMirrorSendsTheURLAsASecretAndAsksForSecretOutputs");
  });

  test("an explicit Provider sends its base URL, and its token only as a secret", async () => {
    const output = await go(path.join(repoRoot, "tests", "sdk", "go"), "test", "-count=1", "-v", "-run", "TestAnExplicitProviderSendsItsTokenAsASecret", "./...");
    expect(output).toContain("--- PASS: TestAnExplicitProviderSendsItsTokenAsASecret");
  });
});
