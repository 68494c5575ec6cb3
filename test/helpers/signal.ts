/** Resolves when `condition()` holds, checking whenever `notify()` is called; rejects after `ms`. */
export class Signal {
  #waiters: (() => void)[] = [];
  notify(): void {
    this.#waiters.splice(0).forEach((w) => w());
  }
  /** `condition` may return an Error: the wait then fails with it at once. */
  until(condition: () => boolean | Error, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      const check = () => {
        const state = condition();
        if (state instanceof Error) {
          clearTimeout(deadline);
          reject(state);
        } else if (state) {
          clearTimeout(deadline);
          resolve();
        } else this.#waiters.push(check);
      };
      check();
    });
  }
}
