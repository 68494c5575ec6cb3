import { createPubSub } from "graphql-yoga";
import { LocalEventTarget } from "./subscriptions/localEventTarget.ts";
import type { DisconnectionChange } from "./domain/connectionState.ts";
import type { MessageChange } from "./domain/mirrorEvents.ts";
import type { MessageStatus } from "./domain/messageStatus.ts";
import type { InactivityLevel } from "./domain/inactivity.ts";
import type { StallKind } from "./domain/stalls.ts";

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
  /**
   * A delivery recorded (received, retried or replayed) and projected or failed: its status is final for now. No wabaId: it
   * can span WABAs (admin only). `outcome` as the projection ended (PROCESSED, PARTIAL, FAILED…), so a listener that cares
   * only about failures (alerts) reads nothing for the others.
   */
  delivery: [{ id: string; outcome: string }];
  /** wabaId: so a subscriber's token scope is checked without a read. */
  historySync: [{ phoneNumberId: string; wabaId: string }];
  /** A message template whose status, category or quality a commit changed (MessageTemplate.id). */
  template: [{ id: string; wabaId: string }];
  /** An operators' event stored for the first time (AccountSignal.id), with its Meta field. */
  accountSignal: [{ id: string; wabaId: string; field: string }];
  /** A number's inactivity level moved (src/ingest/inactivity.ts): the level it moved to. */
  inactivity: [{ phoneNumberId: string; wabaId: string; level: InactivityLevel }];
  /**
   * An offboarding (disconnectionId; phoneNumberId null: ACCOUNT_OFFBOARDED names no number) or a
   * history sync (phoneNumberId; disconnectionId null) recorded stalled, once per stall, after the commit.
   */
  stall: [{ kind: StallKind; wabaId: string; phoneNumberId: string | null; disconnectionId: string | null }];
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

/** In memory, or through Redis when a URL is given (its client is loaded only then). */
export async function createHubPubSub(options: PubSubOptions = {}): Promise<HubPubSub> {
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
  const { connectRedis } = await import("./subscriptions/redisChannels.ts");
  const redis = connectRedis(options.redisUrl, options.onRedisError);
  const channel = (topic: keyof Topics) => `${prefix}:${topic}`;
  return {
    publish: (topic, payload) => redis.publish(channel(topic), payload),
    subscribe: (topic) => redis.subscribe(channel(topic)) as never,
    close: () => redis.close(),
    ping: () => redis.ping(),
  };
}
