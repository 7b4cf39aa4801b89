import { inspect } from "node:util";
import { InvalidInputError, StepFailedAfterChangeError, SyncFailedError } from "../../provider/errors";
import { inEngineForm, partialStateOf } from "../../provider/partial-state";

const URL = "https://bot:pw-partial-7c1e@example.com/group/app.git";
const STATE = { mirrorId: 7, projectId: 1, url: URL, syncPending: true };

function syncFailed(): SyncFailedError {
  return new SyncFailedError({ project: 1, mirrorId: 7, lastError: "push failed" });
}

describe("StepFailedAfterChangeError: a core's partial result", () => {
  it("is catalogued, says what its cause says, and carries the id, the typed state and the cause", () => {
    const cause = syncFailed();
    const err = new StepFailedAfterChangeError("1:7", STATE, cause);
    expect(err).toBeInstanceOf(StepFailedAfterChangeError);
    expect(err.code).toBe("GLM_ERR_STEP_FAILED_AFTER_CHANGE");
    expect(err.message).toBe(cause.message);
    expect(err.cause).toBe(cause);
    expect(err.id).toBe("1:7");
    expect(err.state).toEqual(STATE);
  });

  it("never shows its state (it holds the secret url) in JSON or inspect", () => {
    const err = new StepFailedAfterChangeError("1:7", STATE, syncFailed());
    expect(JSON.stringify(err)).not.toContain("pw-partial-7c1e");
    expect(inspect(err, { depth: 5 })).not.toContain("pw-partial-7c1e");
  });

  it("answers instanceof by its brand, as one made by another copy of the module", () => {
    jest.isolateModules(() => {
      const other = require("../../provider/errors") as typeof import("../../provider/errors");
      expect(other.StepFailedAfterChangeError).not.toBe(StepFailedAfterChangeError);
      expect(new other.StepFailedAfterChangeError("1:7", STATE, syncFailed())).toBeInstanceOf(StepFailedAfterChangeError);
    });
  });
});

describe("inEngineForm: what an adapter hands the engine", () => {
  it("is the cause, carrying the id, the encoded state and the reason, none of them enumerable", () => {
    const cause = syncFailed();
    const engine = inEngineForm(new StepFailedAfterChangeError("1:7", STATE, cause), (state: typeof STATE) => ({ ...state, extra: "x" }));
    expect(engine).toBe(cause);
    const partial = partialStateOf(engine);
    expect(partial?.id).toBe("1:7");
    expect(partial?.properties).toEqual({ ...STATE, extra: "x" });
    expect(partial?.reasons).toEqual([cause.message]);
    expect(Object.keys(engine as object)).not.toEqual(expect.arrayContaining(["id", "properties", "reasons"]));
    expect(JSON.stringify(engine)).not.toContain("pw-partial-7c1e");
  });

  it("a cause that is no Error becomes one with its text", () => {
    const engine = inEngineForm(new StepFailedAfterChangeError("1:7", STATE, "socket hang up"), (state: typeof STATE) => state);
    expect(engine).toBeInstanceOf(Error);
    expect(partialStateOf(engine)).toMatchObject({ id: "1:7", reasons: ["socket hang up"] });
  });

  it("any other error is handed on as it is, with no partial state", () => {
    const err = new InvalidInputError("url", "must be a string");
    expect(inEngineForm(err, (state: object) => state)).toBe(err);
    expect(partialStateOf(err)).toBeUndefined();
  });
});
