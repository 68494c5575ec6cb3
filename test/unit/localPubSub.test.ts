import { afterEach, describe, expect, it } from "vitest";
import { createPubSub } from "graphql-yoga";
import { createHubPubSub } from "../../src/pubsub.ts";
import { LocalEventTarget } from "../../src/subscriptions/localEventTarget.ts";

/** Process warnings emitted while a test runs (Node emits them on a later tick). */
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
process.on("warning", onWarning);
afterEach(() => void warnings.splice(0));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("the in-memory pub/sub", () => {
  it("fans one event out to twenty subscribers of a topic without a MaxListenersExceededWarning", async () => {
    const pubsub = await createHubPubSub();
    const subscribers = Array.from({ length: 20 }, () => pubsub.subscribe("wabaListed"));
    // A subscription's listener attaches on its first next().
    const first = subscribers.map((s) => s.next());
    await nextTurn();
    pubsub.publish("wabaListed", { wabaId: "1" });
    expect((await Promise.all(first)).map((r) => r.value)).toEqual(Array.from({ length: 20 }, () => ({ wabaId: "1" })));
    for (const s of subscribers) await s.return?.();
    await nextTurn();
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });

  it("removes a subscriber's listener when its subscription ends, and the topic with its last one", () => {
    const target = new LocalEventTarget();
    const seen: unknown[] = [];
    const a = (event: Event) => seen.push(["a", event.type]);
    const b = { handleEvent: (event: Event) => seen.push(["b", event.type]) };
    target.addEventListener("message", a);
    target.addEventListener("message", b);
    target.dispatchEvent(new Event("message"));
    target.dispatchEvent(new Event("other"));
    expect(seen).toEqual([
      ["a", "message"],
      ["b", "message"],
    ]);
    target.removeEventListener("message", a);
    expect(target.listenerCount("message")).toBe(1);
    target.removeEventListener("message", b);
    expect(target.listenerCount("message")).toBe(0);
  });

  it("has no listener left once every subscription of a topic has returned", async () => {
    const target = new LocalEventTarget();
    const pubsub = createPubSub<{ topic: [number] }>({ eventTarget: target });
    const subscribers = Array.from({ length: 12 }, () => pubsub.subscribe("topic"));
    const first = subscribers.map((s) => s.next());
    await nextTurn();
    expect(target.listenerCount("topic")).toBe(12);
    pubsub.publish("topic", 7);
    await Promise.all(first);
    await Promise.all(subscribers.map((s) => s.return()));
    expect(target.listenerCount("topic")).toBe(0);
  });
});
