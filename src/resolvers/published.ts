import { filter, pipe } from "graphql-yoga";
import type { TopicEvent, Topics } from "../pubsub.ts";
import type { Context } from "./context.ts";
import { readOnce } from "./readOnce.ts";
import { mayReceive } from "./scope.ts";

/**
 * Subscriptions, all the same way: subscribe to a topic (only events of WABAs the token may see, and
 * that the subscriber asked for), then re-read the row each event names so the client's selection
 * shapes the query. What the commit fixed (a disconnection OPENED or RESOLVED, the status a message
 * moved to) travels in the event and is kept beside the re-read row: by delivery the row may have
 * moved on (opened and resolved within milliseconds, the re-read of the first event sees it
 * resolved), and a subscriber must still learn what each commit did.
 */

/** Topics whose events carry their WABA, so a token's scope filters them (the others need a power). */
type ScopedTopic = { [K in keyof Topics]: Topics[K][0] extends { wabaId: string } ? K : never }[keyof Topics];

export function subscribeTo<K extends ScopedTopic>(ctx: Context, topic: K, wanted: (event: TopicEvent<K>) => boolean): AsyncIterable<TopicEvent<K>> {
  return pipe(
    ctx.pubsub.subscribe(topic),
    filter((event: TopicEvent<K>) => mayReceive(ctx.principal, event) && wanted(event)),
  );
}

const AT_COMMIT = "atCommit";

/** The row an event names, read once per selection for all its subscribers, with `atCommit` beside it. */
export function reread<R extends object>(event: object, query: unknown, read: () => Promise<R>, atCommit: object = {}): Promise<R> {
  return readOnce(event, query, async () => ({ ...(await read()), [AT_COMMIT]: atCommit }));
}

/**
 * What the commit fixed under `key`, if it is one of `values`, on a row re-read for a subscription
 * event; null on a row read any other way (a query, a nested field).
 */
export function fixedAtCommit<V extends string>(row: object, key: string, values: readonly V[]): V | null {
  const facts: unknown = Reflect.get(row, AT_COMMIT);
  if (typeof facts !== "object" || facts === null) return null;
  const value: unknown = Reflect.get(facts, key);
  return values.find((v) => v === value) ?? null;
}
