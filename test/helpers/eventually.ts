/**
 * Resolves with `read()`'s value once `done` holds for it, reading again after each answer
 * (no fixed sleep: the next read starts as soon as the last one returned, with a short breather);
 * rejects after `ms` with the last value read.
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; last read: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
