import { execFileWithInput } from "../../harness/exec-with-input";

describe("execFileWithInput", () => {
  it("hands its input to the command's standard input", async () => {
    const outcome = await execFileWithInput("cat", [], {}, "a secret on stdin");
    expect(outcome).toEqual({ error: null, stdout: "a secret on stdin", stderr: "" });
  });

  // Regression: `unzip -p` in the release tests ended before reading its (empty) input, and the write's
  // EPIPE surfaced as the test's failure.
  it("reports the command's own exit when it ends without reading its input", async () => {
    const input = "x".repeat(8 * 1024 * 1024);
    for (const code of [0, 3]) {
      const outcome = await execFileWithInput(process.execPath, ["-e", `process.exit(${code})`], {}, input);
      expect(outcome.error?.code ?? 0).toBe(code);
    }
  });
});
