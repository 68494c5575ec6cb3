import { createPubSub } from "graphql-yoga";
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import { Redis, type Command } from "ioredis";

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

/**
 * The subscribing connection. The event target sends its (un)subscribes without awaiting them, and
 * closing the connection rejects those still on their way ("Connection is closed."): the
 * UNSUBSCRIBEs of the subscriptions a stopping hub ends just before it closes. Unhandled, such a
 * rejection ends the process; the connection's own failures are reported through its "error" event.
 */
class Subscriber extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis["sendCommand"]>[1]): unknown {
    command.promise.catch(() => {});
    return super.sendCommand(command, stream);
  }
}

/** `onError`: connection problems (ioredis reconnects by itself), at most one report per 10 s. */
export function connectRedis(url: string, onError?: (error: Error) => void): RedisChannels {
  const publishClient = new Redis(url, { maxRetriesPerRequest: 3, lazyConnect: false });
  // Its only commands are (un)subscribes, one per topic, which the event target never awaits: they
  // wait for Redis instead of failing, and ioredis subscribes again after a reconnection.
  const subscribeClient = new Subscriber(url, { maxRetriesPerRequest: null, lazyConnect: false });
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
    // Published here rather than through the event target, which drops the command's promise: while
    // Redis is down a publish fails after its retries, and that failure must be reported, not thrown
    // unhandled. The event target reads the same JSON.
    publish: (channel, payload) => void publishClient.publish(channel, JSON.stringify(payload)).catch(report),
    subscribe: (channel) => shared.subscribe(channel),
    async close() {
      // The subscriber's QUIT would wait for a Redis that may never come back (its commands never give up).
      subscribeClient.disconnect();
      await Promise.allSettled([publishClient.quit()]);
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
