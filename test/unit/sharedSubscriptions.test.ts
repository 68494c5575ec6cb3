/**
 * The sharing contract, with a hand-driven source standing in for a GraphQL subscription: what
 * the integration tests cannot see from a client — how many executions ran and when the shared
 * one is released.
 */
import { describe, expect, it } from "vitest";
import { createSharedSubscriptions } from "../../src/subscriptions/sharedSubscriptions.ts";

/** A source the test pushes into, recording how often it was started and whether it was closed. */
function controlledSource<T>() {
  const waiting: ((step: IteratorResult<T>) => void)[] = [];
  const failing: ((error: unknown) => void)[] = [];
  const state = { starts: 0, returned: false };
  const iterator: AsyncIterableIterator<T> = {
    next: () => new Promise((resolve, reject) => (waiting.push(resolve), failing.push(reject))),
    return: async () => {
      state.returned = true;
      waiting.splice(0).forEach((w) => w({ value: undefined, done: true }));
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    state,
    start: () => {
      state.starts++;
      return iterator;
    },
    emit: (value: T) => (failing.shift(), waiting.shift()!({ value, done: false })),
    complete: () => waiting.shift()!({ value: undefined, done: true }),
    fail: (error: unknown) => (waiting.shift(), failing.shift()!(error)),
    /** Settles once the pump is waiting for the next value. */
    pulled: async () => {
      while (waiting.length === 0) await new Promise((r) => setImmediate(r));
    },
  };
}

const asIterator = <T>(x: unknown) => x as AsyncIterableIterator<T>;

describe("shared subscriptions", () => {
  it("start one source per key and give each of its values to every member, once", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const a = asIterator<string>(await shared.subscribe("k", source.start));
    const b = asIterator<string>(await shared.subscribe("k", source.start));
    expect(source.state.starts).toBe(1);

    await source.pulled();
    source.emit("one");
    await source.pulled();
    source.emit("two");
    expect([await a.next(), await a.next()]).toEqual([
      { value: "one", done: false },
      { value: "two", done: false },
    ]);
    expect([await b.next(), await b.next()]).toEqual([
      { value: "one", done: false },
      { value: "two", done: false },
    ]);
  });

  it("keep different keys apart", async () => {
    const shared = createSharedSubscriptions();
    const [x, y] = [controlledSource<string>(), controlledSource<string>()];
    const onX = asIterator<string>(await shared.subscribe("x", x.start));
    await shared.subscribe("y", y.start);
    await x.pulled();
    x.emit("for x");
    expect(await onX.next()).toEqual({ value: "for x", done: false });
    expect([x.state.starts, y.state.starts, shared.size]).toEqual([1, 1, 2]);
  });

  it("close the source when the last member leaves, not before, and start afresh afterwards", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const a = asIterator<string>(await shared.subscribe("k", source.start));
    const b = asIterator<string>(await shared.subscribe("k", source.start));
    await a.return!();
    expect(source.state.returned).toBe(false);
    await source.pulled();
    source.emit("still here");
    expect(await b.next()).toEqual({ value: "still here", done: false });

    await b.return!();
    expect(source.state.returned).toBe(true);
    expect(shared.size).toBe(0);

    const next = controlledSource<string>();
    await shared.subscribe("k", next.start);
    expect(next.state.starts).toBe(1);
  });

  it("end every member when the source completes, after what was already queued", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const a = asIterator<string>(await shared.subscribe("k", source.start));
    const b = asIterator<string>(await shared.subscribe("k", source.start));
    await source.pulled();
    source.emit("last");
    await source.pulled();
    source.complete();
    for (const member of [a, b]) {
      expect(await member.next()).toEqual({ value: "last", done: false });
      expect(await member.next()).toEqual({ value: undefined, done: true });
    }
    expect(shared.size).toBe(0);
  });

  it("fail every member with the source's error", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const members = [asIterator<string>(await shared.subscribe("k", source.start)), asIterator<string>(await shared.subscribe("k", source.start))];
    const pending = members.map((m) => m.next());
    await source.pulled();
    source.fail(new Error("storage down"));
    for (const p of pending) await expect(p).rejects.toThrow("storage down");
    expect(shared.size).toBe(0);
  });

  it("hand a single result (no stream) to everyone who waited for that start, and keep nothing", async () => {
    const shared = createSharedSubscriptions();
    let starts = 0;
    const start = async () => (starts++, { errors: ["bad variables"] });
    const results = await Promise.all([shared.subscribe("k", start), shared.subscribe("k", start)]);
    expect(results).toEqual([{ errors: ["bad variables"] }, { errors: ["bad variables"] }]);
    expect([starts, shared.size]).toEqual([1, 0]);
  });

  it("hand a result to an idle member's deliver, and queue it, in order, when the member is busy or deliver declines", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const delivered: string[] = [];
    let accept = true;
    const m = asIterator<string>(await shared.subscribe("k", source.start, (v: string) => accept && (delivered.push(v), true)));
    /** Emits and waits until the shared stream has handed the value on (and pulls again). */
    const emit = async (value: string) => {
      await source.pulled();
      source.emit(value);
      await source.pulled();
    };

    // Not waiting (its consumer has not asked): queued.
    await emit("one");
    expect(await m.next()).toEqual({ value: "one", done: false });
    // Waiting: delivered straight, and the consumer's next() stays pending.
    const pending = m.next();
    await emit("two");
    await emit("three");
    expect(delivered).toEqual(["two", "three"]);
    // Declined (its socket is busy): the waiting consumer gets it, and what follows queues behind it.
    accept = false;
    await emit("four");
    accept = true;
    await emit("five");
    expect([await pending, await m.next()]).toEqual([
      { value: "four", done: false },
      { value: "five", done: false },
    ]);
    expect(delivered).toEqual(["two", "three"]);
  });

  it("queue a result whose deliver throws, for that member alone", async () => {
    const shared = createSharedSubscriptions();
    const source = controlledSource<string>();
    const delivered: string[] = [];
    const broken = asIterator<string>(
      await shared.subscribe("k", source.start, () => {
        throw new Error("socket broke");
      }),
    );
    const fine = asIterator<string>(await shared.subscribe("k", source.start, (v: string) => (delivered.push(v), true)));
    const [waitingBroken] = [broken.next(), fine.next()];
    await source.pulled();
    source.emit("one");
    expect(await waitingBroken).toEqual({ value: "one", done: false });
    expect(delivered).toEqual(["one"]);
  });
});
