import { createPubSub } from "graphql-yoga";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { Redis } from "ioredis";
import { LocalEventTarget } from "./subscriptions/localEventTarget.ts";
import type { DisconnectionChange } from "./domain/connectionState.ts";
import type { MessageChange } from "./domain/mirrorEvents.ts";
import type { MessageStatus } from "./domain/messageStatus.ts";
import type { InactivityLevel } from "./domain/inactivity.ts";

/**
 * Subscription topics. Payloads carry ids, and what the commit did (`change`, a message's status):
 * the subscription resolver re-reads the row, so a client's selection shapes the query and nothing
 * is published that was not committed; but by the time it reads, a later commit may have moved the
 * row on, so what was fixed at commit travels in the payload (through Redis too, as JSON).
 * Account events are stored once and never change: the re-read is what was committed.
 */
export type Topics = {
  /** A WABA stored for the first time (by an account event or by its first message, status, history…). */
  wabaListed: [{ wabaId: string }];
  accountEvent: [{ id: string; wabaId: string }];
  disconnection: [{ id: string; wabaId: string; change: DisconnectionChange }];
  /** A message created or changed (merged, edited, revoked, status), of any source; `status`: its status after the commit. */
  message: [{ id: string; threadId: string; phoneNumberId: string; wabaId: string; source: string; change: MessageChange; status: MessageStatus | null }];
  /** A delivery recorded (received, retried or replayed) and projected or failed: its status is final for now. No wabaId: it can span WABAs (admin only). */
  delivery: [{ id: string }];
  /** wabaId: so a subscriber's token scope is checked without a read. */
  historySync: [{ phoneNumberId: string; wabaId: string }];
  /** A message template whose status, category or quality a commit changed (MessageTemplate.id). */
  template: [{ id: string; wabaId: string }];
  /** An operators' event stored for the first time (AccountSignal.id), with its Meta field. */
  accountSignal: [{ id: string; wabaId: string; field: string }];
  /** A number's inactivity level moved (src/ingest/inactivity.ts): the level it moved to. */
  inactivity: [{ phoneNumberId: string; wabaId: string; level: InactivityLevel }];
};

/** The payload of one event of a topic: the one name for it everywhere. */
export type TopicEvent<K extends keyof Topics> = Topics[K][0];

export interface HubPubSub {
  /** Returns at once; subscribers get the event on a later turn of the event loop. */
  publish<K extends keyof Topics>(topic: K, payload: Topics[K][0]): void;
  subscribe<K extends keyof Topics>(topic: K): AsyncIterable<Topics[K][0]> & AsyncIterator<Topics[K][0]>;
  /** Closes the Redis connections, if any. */
  close(): Promise<void>;
  /** Whether Redis answers (always true in memory). */
  ping(): Promise<boolean>;
}

export interface PubSubOptions {
  /** With a Redis URL, events travel through Redis pub/sub and reach every instance. */
  redisUrl?: string | undefined;
  /** Channel names are `<prefix>:<topic>`, so deployments (or test runs) sharing a Redis stay apart. */
  channelPrefix?: string;
  /** Connection problems (ioredis reconnects by itself; /readyz reports Redis as unreachable meanwhile). */
  onRedisError?: (error: Error) => void;
}

export function createHubPubSub(options: PubSubOptions = {}): HubPubSub {
  const prefix = options.channelPrefix ?? "coexist-hub";
  if (!options.redisUrl) {
    // Not Node's EventTarget (yoga's default): it warns of a leak from a topic's 11th subscriber.
    const local = createPubSub<Topics>({ eventTarget: new LocalEventTarget() });
    return {
      // Listeners run on a later turn of the event loop, not inside publish(): the caller (the
      // batcher, right after its commit) resolves webhook requests next, and their 200s should be
      // written before the fan-out to every subscriber takes the CPU. Through Redis this is so anyway.
      publish: (topic, payload) => void setImmediate(() => local.publish(topic, payload as never)),
      subscribe: (topic) => local.subscribe(topic as never) as never,
      close: async () => {},
      ping: async () => true,
    };
  }
  const publishClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  const subscribeClient = new Redis(options.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: false });
  let lastReport = 0;
  const onError = (error: Error) => {
    // ioredis emits one error per reconnection attempt; one report per 10 s is plenty.
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    options.onRedisError?.(error);
  };
  publishClient.on("error", onError);
  subscribeClient.on("error", onError);
  // Channel names are built at run time, so the shared pub/sub is typed loosely; the HubPubSub
  // interface above keeps topic and payload tied together for callers.
  const shared = createPubSub<Record<string, [object]>>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  const channel = (topic: keyof Topics) => `${prefix}:${topic}`;
  return {
    publish: (topic, payload) => shared.publish(channel(topic), payload),
    subscribe: (topic) => shared.subscribe(channel(topic)) as never,
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
    async ping() {
      try {
        return (await publishClient.ping()) === "PONG";
      } catch {
        return false;
      }
    },
  };
}
