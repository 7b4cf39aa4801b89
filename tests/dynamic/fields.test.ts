/**
 * The dynamic RemoteMirror declares its fields from the field table, through a rendered file (the SDK
 * loads no zod): the committed file is what the table renders, and the secrets the table names are
 * secret in the state of both paths (the dynamic resource and the plugin's).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { SECRET_PROPERTIES as TABLE_SECRETS } from "../../provider/mirror/fields";
import { SECRET_PROPERTIES } from "../../sdk/nodejs/remote-mirror-fields";
import { DYNAMIC_FIELDS_FILE, renderDynamicFields } from "../../tools/dynamic-sdk/render";
import { CliStack } from "../../harness/cli-stack";
import { nodeProgramStack } from "../e2e/node-program";
import { GitLabActor, repoRoot } from "../e2e/support";

jest.setTimeout(300_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;

describe("the dynamic RemoteMirror's fields", () => {
  it("are the field table's: the committed file is what it renders (run 'make sdks' when this fails)", () => {
    expect(fs.readFileSync(path.join(repoRoot, DYNAMIC_FIELDS_FILE), "utf8")).toBe(renderDynamicFields());
  });

  it("keep secret what the table marks secret, publicKey included", () => {
    expect([...SECRET_PROPERTIES]).toEqual([...TABLE_SECRETS]);
    expect(SECRET_PROPERTIES).toContain("publicKey");
  });
});

describe("the SSH public key in the state of both paths", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;
  let stack: CliStack;

  beforeAll(async () => {
    gitlab = await startEmulator();
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    stack = nodeProgramStack("public-key", "tests/e2e/programs/public-key-both-paths.js", {
      pluginFromCheckout: true,
      env: { GITLAB_BASE_URL: "", GITLAB_TOKEN: "" },
    });
    await stack.init("dev", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
      "gitlab-mirrors:baseUrl": { value: gitlab.baseUrl },
      "gitlab-mirrors:token": { value: ROOT_TOKEN, secret: true },
    });
    await stack.ok(["up", "--yes", "--skip-preview"]);
  });

  afterAll(async () => {
    if (stack) await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
    stack?.dispose();
    await gitlab?.close();
  });

  it("is stored encrypted, never in plain text, by the dynamic resource and by the plugin's", async () => {
    const mirrors = await actor.mirrors(1);
    expect(mirrors).toHaveLength(2);
    const keys: string[] = [];
    for (const mirror of mirrors) {
      const { status, body } = await actor.api("GET", `/projects/1/remote_mirrors/${mirror.id}/public_key`);
      expect(status).toBe(200);
      keys.push((body as { public_key: string }).public_key);
    }
    const plain = await stack.exportState();
    for (const key of keys) expect(plain.text).not.toContain(key.split(" ")[1]);

    // Each resource does hold its key, as a secret: revealed, the state has both.
    const revealed = await stack.exportState(true);
    for (const key of keys) expect(revealed.text).toContain(key);
    const byType = new Map(plain.resources.filter((r) => r.type.endsWith("RemoteMirror")).map((r) => [r.type, r.outputs ?? {}]));
    expect([...byType.keys()].sort()).toEqual(["gitlab-mirrors:index:RemoteMirror", "pulumi-nodejs:dynamic/gitlab-mirrors:RemoteMirror"]);
    for (const outputs of byType.values()) {
      expect(outputs.publicKey).toEqual(expect.objectContaining({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" }));
    }
  });
});
