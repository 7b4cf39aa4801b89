/**
 * The steps of one scenario that build on each other (create, preview, update, ..., destroy), each a
 * test of its own. A step's test first runs, once, every earlier step that has not run yet: a test
 * picked alone (`jest -t`) or run in another order finds the stack in the state it expects, and in
 * the written order every step runs exactly once, in its own test. A step that failed fails every
 * later step with its error, rather than letting them run on a state nobody meant.
 */
export interface Scenario {
  step(name: string, run: () => Promise<void>, timeoutMs?: number): void;
}

type Register = (name: string, fn: () => Promise<void>, timeoutMs?: number) => void;

/** `register` is jest's `test`; a test of this module passes its own to call the steps in any order. */
export function scenario(register: Register = test): Scenario {
  const steps: Array<{ name: string; run: () => Promise<void>; done?: Promise<void> }> = [];
  async function runThrough(index: number): Promise<void> {
    for (const [i, step] of steps.slice(0, index + 1).entries()) {
      step.done ??= step.run();
      try {
        await step.done;
      } catch (err) {
        if (i === index) throw err;
        throw new Error(`an earlier step of this scenario failed: "${step.name}"`, { cause: err });
      }
    }
  }
  return {
    step(name, run, timeoutMs) {
      const index = steps.push({ name, run }) - 1;
      register(name, () => runThrough(index), timeoutMs);
    },
  };
}
