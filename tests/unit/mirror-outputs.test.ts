import { inputsToRecord, compactOutputs, expandOutputs } from "../../provider/mirror";
import { INPUT_FIELDS, REPORTED_INPUT_FIELDS } from "../../provider/mirror/fields";

const URL = "ssh://git@mirror.example.com/group/app.git";
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

/** Full outputs as the lifecycle makes them: the checked inputs, then what GitLab reports. */
function fullOutputs(given: Record<string, unknown>): { inputs: Record<string, unknown>; outputs: Record<string, unknown> } {
  const inputs = inputsToRecord(given);
  const outputs = {
    mirrorBranchRegex: null,
    syncTrigger: null,
    ...inputs,
    mirrorId: 7,
    projectId: 3,
    maskedUrl: "ssh://*****@mirror.example.com/group/app.git",
    updateStatus: "finished",
    lastError: null,
    lastUpdateAt: "2026-11-30T10:00:00.000Z",
    lastUpdateStartedAt: "2026-11-30T09:59:58.000Z",
    lastSuccessfulUpdateAt: "2026-11-30T10:00:00.000Z",
    hostKeyFingerprints: ["SHA256:abc"],
    publicKey: "ssh-rsa AAAAB3Nza mirror",
  };
  return { inputs, outputs };
}

const CASES: Array<[string, Record<string, unknown>]> = [
  ["defaults only", { project: 3, url: URL }],
  ["every input set", { project: "group/app", url: URL, enabled: false, authMethod: "ssh_public_key", onlyProtectedBranches: false, keepDivergentRefs: false, mirrorBranchRegex: "^release/", hostKeys: [HOST_KEY], syncOnApply: true, waitForSync: true, syncTimeoutSeconds: 60, syncTrigger: "v2", adopt: true }],
];

describe("compact outputs", () => {
  it.each(CASES)("%s: keep no input GitLab does not report, and nothing else is lost", (_title, given) => {
    const { outputs } = fullOutputs(given);
    const compact = compactOutputs(outputs);
    for (const name of INPUT_FIELDS) expect(name in compact).toBe(REPORTED_INPUT_FIELDS.includes(name));
    expect(JSON.stringify(compact)).not.toContain(URL);
    expect(compact).toMatchObject({ mirrorId: 7, projectId: 3, publicKey: "ssh-rsa AAAAB3Nza mirror", hostKeyFingerprints: ["SHA256:abc"] });
  });

  it.each(CASES)("%s: expanded with the recorded inputs, they are the full outputs again", (_title, given) => {
    const { inputs, outputs } = fullOutputs(given);
    const { syncTrigger: _unset, ...expected } = outputs;
    expect(expandOutputs(compactOutputs(outputs), inputs)).toEqual(given.syncTrigger === undefined ? expected : outputs);
  });

  it("keeps the internal mark of a sync still to be done", () => {
    expect(compactOutputs({ mirrorId: 1, url: URL, syncPending: true })).toEqual({ mirrorId: 1, syncPending: true });
  });

  it("takes an unreported input from the recorded inputs over an older state's copy of it", () => {
    expect(expandOutputs({ mirrorId: 1, syncTrigger: "old", enabled: false }, { syncTrigger: "new", enabled: true })).toEqual({
      mirrorId: 1,
      syncTrigger: "new",
      enabled: false,
    });
  });
});
