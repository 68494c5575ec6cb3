import { createClient, type Client, type ClientOptions } from "graphql-ws";
import WebSocket, { type RawData } from "ws";
import { teardown } from "./teardown.ts";
import { API_TOKEN } from "./app.ts";
import { Signal } from "./signal.ts";

/** What a subscription has received, and ways to wait for more (each with a deadline, never a sleep). */
export interface Collector<T> {
  /** Every result in arrival order (GraphQL errors as { error }). */
  items: ({ data: T } | { error: unknown })[];
  /** The data of every result that was not an error, in arrival order. */
  received: T[];
  /** Resolves with the first `count` data results; rejects on an error result, on the end of the subscription, or after `ms`. */
  next(count?: number, ms?: number): Promise<T[]>;
  /** Resolves once a data result satisfies `predicate`; rejects when the subscription ends or after `ms`. */
  waitFor(predicate: (data: T) => boolean, ms?: number, what?: string): Promise<void>;
  /** Resolves once at least `count` results (errors included) have arrived; rejects when the subscription ends or after `ms`. */
  waitForCount(count: number, ms?: number): Promise<void>;
  data(): T[];
  errors(): unknown[];
  /** Forgets what was received so far. */
  clear(): void;
  /** Completes the subscription (the client sends `complete`); the socket stays open. */
  unsubscribe(): void;
}

export function wsClient(httpUrl: string, token: string | null = API_TOKEN, options: Partial<ClientOptions> = {}): Client {
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    ...options,
  });
  teardown(() => client.dispose());
  return client;
}

/** Subscribes and waits until the server has taken the subscription in. */
export async function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Collector<T>> {
  const items: Collector<T>["items"] = [];
  const received: T[] = [];
  const signal = new Signal();
  let failed: Error | null = null;
  let completed = false;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors?.length) items.push({ error: value.errors });
        else {
          items.push({ data: value.data as T });
          received.push(value.data as T);
        }
        signal.notify();
      },
      error: (error) => {
        failed = error instanceof Error ? error : new Error(`subscription closed: ${JSON.stringify(error)}`);
        signal.notify();
      },
      complete: () => {
        completed = true;
        signal.notify();
      },
    },
  );
  // graphql-ws has no "subscribed" acknowledgement; a query answered on the same socket after the
  // subscribe message means the server has taken the subscription in.
  await client.iterate({ query: "{ __typename }" }).next();
  const ended = () => failed ?? (completed ? new Error("subscription completed") : null);
  return {
    items,
    received,
    unsubscribe,
    async next(count = 1, ms = 5_000) {
      await signal.until(
        () => {
          const error = items.find((i) => "error" in i);
          if (error) return new Error(JSON.stringify(error.error));
          if (failed) return failed;
          if (received.length >= count) return true;
          return completed ? new Error(`subscription completed after ${received.length} of ${count} results`) : false;
        },
        ms,
        `${count} results (got ${received.length})`,
      );
      return received.slice(0, count);
    },
    waitFor(predicate, ms = 15_000, what = "a subscription result") {
      return signal.until(() => ended() ?? received.some(predicate), ms, what);
    },
    waitForCount(count, ms = 15_000) {
      return signal.until(() => ended() ?? items.length >= count, ms, `${count} subscription results (got ${items.length})`);
    },
    data: () => [...received],
    errors: () => items.flatMap((i) => ("error" in i ? [i.error] : [])),
    clear() {
      items.length = 0;
      received.length = 0;
    },
  };
}

/** A ws message (a Buffer, or fragments) read as JSON. */
export function wsJson(data: RawData): any {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return JSON.parse(bytes.toString("utf8"));
}
