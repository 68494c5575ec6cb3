import type { Lease } from "./streamBudget.ts";

export function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

export interface LeasedStream<T> {
  stream: AsyncIterableIterator<T>;
  /** Ends the stream early: it yields `last` (e.g. an error saying why) and is done. */
  cut: (last: T) => void;
}

/**
 * `source`, holding `leases` for as long as it is open: they are given back however it ends (the
 * source finishes or throws, the client leaves and the transport calls return(), or `cut`). Both
 * transports wrap their subscriptions in it: the SSE response and the graphql-ws subscription end
 * when their iterator does.
 */
export function leasedStream<T>(source: AsyncIterable<T>, leases: readonly Lease[]): LeasedStream<T> {
  const it = source[Symbol.asyncIterator]();
  let over = false;
  let last: { value: T } | null = null;
  // Settles the latest next() when the stream is cut (a no-op once that one has settled). One per
  // next(), not a race with a promise that lives as long as the stream: every Promise.race adds a
  // reaction to each of its inputs, and a pending input keeps them all — half a kilobyte per event per
  // subscriber, for as long as the subscription lasts.
  let wake = () => {};
  const finish = () => {
    if (over) return;
    over = true;
    leases.forEach((lease) => lease.release());
  };
  const stop = () => {
    finish();
    // Not awaited: a pending next() of the source may only settle once return() has run.
    void Promise.resolve(it.return?.()).catch(() => {});
  };
  const ending = (): IteratorResult<T> => {
    stop();
    const result: IteratorResult<T> = last ? { done: false, value: last.value } : { done: true, value: undefined };
    last = null;
    return result;
  };
  const stream: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return stream;
    },
    async next() {
      if (last) return ending();
      if (over) return { done: true, value: undefined };
      try {
        const step = await new Promise<IteratorResult<T> | null>((resolve, reject) => {
          wake = () => resolve(null);
          it.next().then(resolve, reject);
        });
        if (step === null || last) return ending();
        if (step.done) finish();
        return step;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return() {
      stop();
      return { done: true, value: undefined };
    },
  };
  return {
    stream,
    cut(value) {
      if (over) return;
      last = { value };
      wake();
    },
  };
}
