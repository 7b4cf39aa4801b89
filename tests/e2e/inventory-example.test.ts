/**
 * examples/inventory as docs/inventory.md documents it, against the emulator started with the example's
 * seed (examples/inventory/emulator-seed.json, which holds the inventory's projects): every group in one
 * stack (inventory:group unset, its default ""), and one group only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseSeed, RunningEmulator, startEmulator } from "../../emulator";
import { AutomationStack } from "../../harness/automation-stack";
import { GitLabActor, repoRoot } from "./support";

jest.setTimeout(600_000);

const EXAMPLE = path.join(repoRoot, "examples", "inventory");
const PROGRAM = path.join(repoRoot, "dist", "examples", "inventory", "index.js");
const TOKEN = "glpat-emulator-root-token";
const CREDENTIALS = { "backup-bot": { username: "backup-bot", password: "inventory-e2e-pw-1" }, "partner-bot": { username: "partner", password: "inventory-e2e-pw-2" } };
// platform/api 2, platform/web 1, data/pipelines 2, data/warehouse 1 (see inventory.yaml).
const PER_PROJECT: Record<number, number> = { 1: 2, 2: 1, 3: 2, 4: 1 };

describe("examples/inventory, run as documented", () => {
  let gitlab: RunningEmulator;
  let actor: GitLabActor;

  beforeAll(async () => {
    gitlab = await startEmulator({ seed: parseSeed(JSON.parse(fs.readFileSync(path.join(EXAMPLE, "emulator-seed.json"), "utf8"))) });
    actor = new GitLabActor(gitlab.baseUrl, TOKEN);
  });

  afterAll(async () => {
    await gitlab?.close();
  });

  function stack(group?: string): AutomationStack {
    return new AutomationStack(PROGRAM, "inventory", {
      "gitlab:baseUrl": { value: gitlab.baseUrl },
      "gitlab:token": { value: TOKEN, secret: true },
      "inventory:file": { value: path.join(EXAMPLE, "inventory.yaml") },
      "inventory:credentials": { value: JSON.stringify(CREDENTIALS), secret: true },
      ...(group !== undefined ? { "inventory:group": { value: group } } : {}),
    });
  }

  async function mirrorCounts(): Promise<Record<number, number>> {
    const counts: Record<number, number> = {};
    for (const id of [1, 2, 3, 4]) counts[id] = (await actor.mirrors(id)).length;
    return counts;
  }

  test("the emulator seed holds every project of the inventory", async () => {
    for (const [id, project] of [[1, "platform/api"], [2, "platform/web"], [3, "data/pipelines"], [4, "data/warehouse"]] as const) {
      const { status, body } = await actor.api("GET", `/projects/${encodeURIComponent(project)}`);
      expect({ status, id: (body as { id: number }).id }).toEqual({ status: 200, id });
    }
  });

  test("all groups in one stack (inventory:group unset): every target becomes a mirror, destroy removes them", async () => {
    const all = stack();
    try {
      const up = await all.expectOk("up");
      expect(up.outputs?.mirrorCount.value).toBe(6);
      expect(up.outputs?.groups.value).toEqual(["platform", "data"]);
      expect(await mirrorCounts()).toEqual(PER_PROJECT);
      for (const secret of ["inventory-e2e-pw-1", "inventory-e2e-pw-2", TOKEN]) expect(up.log).not.toContain(secret);
      await all.expectOk("destroy");
      expect(await mirrorCounts()).toEqual({ 1: 0, 2: 0, 3: 0, 4: 0 });
    } finally {
      all.dispose();
    }
  });

  test("one group (inventory:group data): only that group's mirrors", async () => {
    const data = stack("data");
    try {
      const up = await data.expectOk("up");
      expect(up.outputs?.mirrorCount.value).toBe(3);
      expect(await mirrorCounts()).toEqual({ 1: 0, 2: 0, 3: 2, 4: 1 });
      await data.expectOk("destroy");
    } finally {
      data.dispose();
    }
  });
});
