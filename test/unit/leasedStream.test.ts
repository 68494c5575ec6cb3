/**
 * A leased stream: its leases come back however it ends, and a cut ends it at once, even while a
 * next() waits on a source that has nothing to give.
 */
import { describe, expect, it } from "vitest";
import { leasedStream } from "../../src/server/leasedStream.ts";

function counting() {
  const lease = { released: 0, release: () => void lease.released++ };
  return lease;
}

/** A source whose next() waits until return() is called. */
function silentSource() {
  const state = { returned: false };
  let settle: (step: IteratorResult<number>) => void = () => {};
  const iterator: AsyncIterableIterator<number> = {
    next: () => new Promise((resolve) => (settle = resolve)),
    return: async () => {
      state.returned = true;
      settle({ value: undefined, done: true });
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { iterator, state };
}

describe("leasedStream", () => {
  it("passes the source's values on and gives its leases back once when it ends", async () => {
    const lease = counting();
    const { stream } = leasedStream(
      (async function* () {
        yield 1;
        yield 2;
      })(),
      [lease],
    );
    expect([await stream.next(), await stream.next(), await stream.next()]).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
      { value: undefined, done: true },
    ]);
    await stream.return?.();
    expect(lease.released).toBe(1);
  });

  it("ends a next() that is waiting when cut: the cut's value, then done, the source closed", async () => {
    const lease = counting();
    const source = silentSource();
    const leased = leasedStream(source.iterator, [lease]);
    const pending = leased.stream.next();
    leased.cut(42);
    expect(await pending).toEqual({ value: 42, done: false });
    expect(await leased.stream.next()).toEqual({ value: undefined, done: true });
    expect(source.state.returned).toBe(true);
    expect(lease.released).toBe(1);
  });

  it("yields the cut's value on the next call when cut between calls", async () => {
    const lease = counting();
    const leased = leasedStream<number>(
      (async function* () {
        yield 1;
        yield 2;
      })(),
      [lease],
    );
    expect(await leased.stream.next()).toEqual({ value: 1, done: false });
    leased.cut(9);
    expect(await leased.stream.next()).toEqual({ value: 9, done: false });
    expect(await leased.stream.next()).toEqual({ value: undefined, done: true });
    expect(lease.released).toBe(1);
  });
});
