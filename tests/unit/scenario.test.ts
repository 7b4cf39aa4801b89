import { scenario } from "../support/scenario";

function registered(): { step: ReturnType<typeof scenario>["step"]; tests: Map<string, () => Promise<void>>; ran: string[] } {
  const tests = new Map<string, () => Promise<void>>();
  const ran: string[] = [];
  const { step } = scenario((name, fn) => tests.set(name, fn));
  return { step, tests, ran };
}

describe("a scenario's steps", () => {
  it("a later step's test runs the earlier steps first, each once, whatever order the tests run in", async () => {
    const { step, tests, ran } = registered();
    for (const name of ["up", "preview", "destroy"]) step(name, async () => void ran.push(name));
    await tests.get("preview")!();
    expect(ran).toEqual(["up", "preview"]);
    await tests.get("up")!();
    await tests.get("destroy")!();
    await tests.get("preview")!();
    expect(ran).toEqual(["up", "preview", "destroy"]);
  });

  it("a failed step fails every later step with its name, and is not run again", async () => {
    const { step, tests, ran } = registered();
    step("up", async () => {
      ran.push("up");
      throw new Error("GitLab said no");
    });
    step("preview", async () => void ran.push("preview"));
    await expect(tests.get("up")!()).rejects.toThrow("GitLab said no");
    await expect(tests.get("preview")!()).rejects.toThrow('an earlier step of this scenario failed: "up"');
    expect(ran).toEqual(["up"]);
  });
});
