/**
 * One write at a time per mirror, in arrival order. A PUT that waits for key generation must not
 * let a later PUT answer 200 and then overwrite it with what it read before waiting; GitLab's
 * row update has no such window.
 */
export class KeyedQueue {
  private readonly tails = new Map<number, Promise<void>>();

  run<T>(key: number, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
