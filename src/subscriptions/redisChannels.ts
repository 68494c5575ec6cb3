import { createPubSub } from "graphql-yoga";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { Redis } from "ioredis";

/**
 * Pub/sub over Redis channels (src/pubsub.ts names them and types the payloads). A module of its
 * own, imported only when REDIS_URL is set: ioredis and its event target are several MB of a
 * hub's memory that a single instance never uses (bench/ANALYSIS.md).
 */
export interface RedisChannels {
  publish(channel: string, payload: object): void;
  subscribe(channel: string): AsyncIterable<object> & AsyncIterator<object>;
  close(): Promise<void>;
  ping(): Promise<boolean>;
}

/** `onError`: connection problems (ioredis reconnects by itself), at most one report per 10 s. */
export function connectRedis(url: string, onError?: (error: Error) => void): RedisChannels {
  const publishClient = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const subscribeClient = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  let lastReport = 0;
  const report = (error: Error) => {
    // ioredis emits one error per reconnection attempt; one report per 10 s is plenty.
    if (Date.now() - lastReport < 10_000) return;
    lastReport = Date.now();
    onError?.(error);
  };
  publishClient.on("error", report);
  subscribeClient.on("error", report);
  // Channel names are built at run time, so the shared pub/sub is typed loosely; HubPubSub keeps
  // topic and payload tied together for callers.
  const shared = createPubSub<Record<string, [object]>>({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  return {
    publish: (channel, payload) => shared.publish(channel, payload),
    subscribe: (channel) => shared.subscribe(channel),
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
