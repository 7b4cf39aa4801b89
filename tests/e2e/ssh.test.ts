/**
 * examples/ssh through the real pulumi CLI: an ssh_public_key mirror whose generated key is
 * authorised on a real sshd, with strict host key checking against the configured host key.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_SEED, RunningEmulator, startEmulator } from "../../emulator";
import { git, listRemoteRefs, makeSampleRepository, pushAll, withCredentials } from "../../harness/git";
import { startSshd, TestSshd } from "../emulator/sshd";
import { GitLabActor, repoRoot } from "./support";
import { AutomationStack } from "../../harness/automation-stack";
import { scenario } from "../support/scenario";

jest.setTimeout(300_000);

const ROOT_TOKEN = DEFAULT_SEED.users!.find((u) => u.username === "root")!.tokens![0].token;
const PROJECT_ID = 1;

describe("examples/ssh with the real pulumi CLI", () => {
  const { step } = scenario();
  let gitlab: RunningEmulator;
  let sshd: TestSshd;
  let actor: GitLabActor;
  let stack: AutomationStack;
  let scratch: string;
  let targetRepo: string;
  let projectUrl: string;

  beforeAll(async () => {
    [gitlab, sshd] = await Promise.all([startEmulator(), startSshd()]);
    actor = new GitLabActor(gitlab.baseUrl, ROOT_TOKEN);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gitlab-mirrors-e2e-ssh-"));
    targetRepo = path.join(sshd.dir, "target.git");
    await git(["init", "--quiet", "--bare", targetRepo]);
    await makeSampleRepository(path.join(scratch, "source"));
    projectUrl = withCredentials(`${gitlab.baseUrl}/demo/app.git`, "root", ROOT_TOKEN);
    stack = new AutomationStack(path.join(repoRoot, "dist", "examples", "ssh", "index.js"), "ssh", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: ROOT_TOKEN, secret: true },
      "ssh:project": { value: "demo/app" },
      "ssh:targetUrl": { value: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${targetRepo}` },
      "ssh:hostKey": { value: sshd.hostKey },
      "ssh:authorizedKeysFile": { value: path.join(sshd.dir, "authorized_keys") },
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await Promise.all([gitlab?.close(), sshd?.stop()]);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  step("up creates the mirror and authorises GitLab's generated key on the target", async () => {
    const result = await stack.expectOk("up");
    expect(result.changes).toEqual({ create: 3 });
    const publicKey = result.outputs?.publicKey.value as string;
    expect(publicKey).toMatch(/^ssh-rsa AAAA[0-9A-Za-z+/=]+ git@/);
    expect(fs.readFileSync(path.join(sshd.dir, "authorized_keys"), "utf8")).toContain(publicKey);
    const mirrors = await actor.mirrors(PROJECT_ID);
    expect(mirrors).toHaveLength(1);
    expect(result.outputs?.mirrorId.value).toBe(mirrors[0].id);
    expect(result.outputs?.hostKeyFingerprints.value).toHaveLength(1);
  });

  step("a push to the project mirrors its protected branch and tag over SSH into the target", async () => {
    await pushAll(path.join(scratch, "source"), projectUrl);
    const sourceRefs = Object.fromEntries(await listRemoteRefs(projectUrl));
    // The push runs in the background, as GitLab's worker does: wait (bounded) until GitLab reports it done.
    type Status = { update_status: string; last_error: string | null };
    const deadline = Date.now() + 60_000;
    let mirror: Status | undefined;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      [mirror] = (await actor.mirrors(PROJECT_ID)) as unknown as Status[];
    } while (Date.now() < deadline && !["finished", "failed"].includes(mirror?.update_status ?? ""));
    expect(mirror).toMatchObject({ update_status: "finished", last_error: null });
    // Protected branches (main, in the seed) and tags, by default.
    const expected = Object.fromEntries(Object.entries(sourceRefs).filter(([ref]) => ref === "refs/heads/main" || ref.startsWith("refs/tags/")));
    expect(Object.keys(expected).sort()).toEqual(["refs/heads/main", "refs/tags/v1.0.0"]);
    expect(Object.fromEntries(await listRemoteRefs(targetRepo))).toEqual(expected);
  });

  step("a second preview has nothing to change", async () => {
    const result = await stack.expectOk("preview");
    expect(result.changes).toEqual({ same: 3 });
  });

  step("destroy removes the mirror and the authorised key", async () => {
    const result = await stack.expectOk("destroy");
    expect(result.changes).toEqual({ delete: 3 });
    expect(await actor.mirrors(PROJECT_ID)).toEqual([]);
    expect(fs.readFileSync(path.join(sshd.dir, "authorized_keys"), "utf8").trim()).toBe("");
  });
});
