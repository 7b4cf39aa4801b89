import * as pulumi from "@pulumi/pulumi";
import { remoteMirrorProvider } from "../../provider/dynamic/serialized-provider";

const TOKEN = "glpat-must-never-be-serialized";

describe("the serialized dynamic provider (__provider)", () => {
  const savedToken = process.env.GITLAB_TOKEN;
  let text: string;

  beforeAll(async () => {
    // A token in the environment of the program must not be captured into the state.
    process.env.GITLAB_TOKEN = TOKEN;
    const provider = remoteMirrorProvider;
    const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    text = serialized.text;
    expect(serialized.containsSecrets).toBe(false);
  });

  afterAll(() => {
    if (savedToken === undefined) delete process.env.GITLAB_TOKEN;
    else process.env.GITLAB_TOKEN = savedToken;
  });

  it("is at most 2 KB", () => {
    expect(Buffer.byteLength(text, "utf8")).toBeLessThanOrEqual(2048);
  });

  it("contains no token and no zod or undici code", () => {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/zod|undici/i);
  });

  it("requires the installed handlers at run time, once per method", () => {
    expect(text).toContain('"gitlab-mirrors/provider/dynamic/handlers"');
    expect(text.match(/require\(/g)).toHaveLength(7);
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      expect(text).toContain(method);
    }
  });

  it("is identical however many times it is serialized (stable across resources)", async () => {
    const provider = remoteMirrorProvider;
    const again = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    expect(again.text).toBe(text);
  });
});
