/**
 * The callbacks of one event of a loader (messages, exit). `add` returns the function that removes
 * the callback; `emit` calls a snapshot, so a callback may remove itself while it runs.
 */
export class Listeners<A extends unknown[]> {
  private readonly fns = new Set<(...args: A) => void>();

  add(fn: (...args: A) => void): () => void {
    this.fns.add(fn);
    return () => {
      this.fns.delete(fn);
    };
  }

  emit(...args: A): void {
    for (const fn of [...this.fns]) fn(...args);
  }
}
