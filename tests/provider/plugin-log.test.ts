/**
 * What the plugin tells the engine about a mirror's steps, against the emulator: routine steps, which
 * the engine's display already shows, only when GITLAB_MIRRORS_LOG=debug asks for them.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { closeAll } from "../../provider/gitlab";
import { RemoteMirrorPlugin } from "../../provider/plugin/adapter";
import { ROOT_TOKEN } from "./support";

const PROVIDER_URN = "urn:pulumi:dev::proj::pulumi:providers:gitlab-mirrors::default_0_1_0";
const MIRROR_URN = "urn:pulumi:dev::proj::gitlab-mirrors:index:RemoteMirror::m";

let gl: RunningEmulator;

beforeAll(async () => {
  gl = await startEmulator();
});

afterAll(async () => {
  await closeAll();
  await gl.close();
});

it.each([
  ["are not sent by default", "quiet", {}, false],
  ["are sent with GITLAB_MIRRORS_LOG=debug, attached to the mirror", "debug", { GITLAB_MIRRORS_LOG: "debug" }, true],
])("routine steps (created, deleted) %s", async (_title, name, env, sent) => {
  const lines: string[] = [];
  const plugin = new RemoteMirrorPlugin((severity, message, urn) => lines.push(`${severity} ${urn} ${message}`), env);
  plugin.configure(PROVIDER_URN, { baseUrl: gl.baseUrl, token: ROOT_TOKEN });
  const target = `${gl.baseUrl}/-/targets/backup/plugin-log-${name}.git`;
  const inputs = plugin.check({ project: "demo/app", url: target }).inputs;
  const created = await plugin.create(MIRROR_URN, inputs);
  await plugin.delete(MIRROR_URN, created.id, created.outs, inputs);

  const mirrorId = created.outs.mirrorId as number;
  const routine = [`info ${MIRROR_URN} demo/app: created mirror ${mirrorId} (${target})`, `info ${MIRROR_URN} demo/app: deleted mirror ${mirrorId}`];
  expect(lines).toEqual(sent ? routine : []);
});
