import { afterEach, beforeEach, expect, it } from "vitest";
import { createHubPubSub, type HubPubSub } from "../../src/pubsub.ts";

// A hub closing its pub/sub (on SIGTERM, or a test's app) as its subscriptions end: ioredis rejects
// the UNSUBSCRIBEs still on their way with "Connection is closed.", which nobody awaits; unhandled,
// such a rejection ends the process.
const REDIS = "redis://127.0.0.1:6379";
const TOPICS = ["message", "disconnection", "stall", "wabaListed"] as const;

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => void process.on("unhandledRejection", onUnhandled));
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  unhandled = [];
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes to every topic (a subscription's SUBSCRIBE goes out on its first next()). */
async function subscribed(pubsub: HubPubSub) {
  const subscriptions = TOPICS.map((topic) => pubsub.subscribe(topic));
  for (const s of subscriptions) void s.next();
  await pause(100);
  return subscriptions;
}

it("closes right after its subscriptions end without an unhandled rejection for their UNSUBSCRIBEs", async () => {
  const pubsub = await createHubPubSub({ redisUrl: REDIS, channelPrefix: `close-${process.pid}` });
  const subscriptions = await subscribed(pubsub);
  for (const s of subscriptions) void s.return?.();
  await pubsub.close();
  // Rejections are reported unhandled after the turn that rejected them.
  await pause(50);
  expect(unhandled.map(String)).toEqual([]);
});
