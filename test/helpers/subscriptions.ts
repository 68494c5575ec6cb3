import { createClient, type Client } from "graphql-ws";
import WebSocket, { type RawData } from "ws";
import { teardown } from "./teardown.ts";
import { API_TOKEN } from "./app.ts";

export interface Collector<T> {
  /** Resolves with the first `count` results, or rejects when they do not come within `ms`. */
  next(count?: number, ms?: number): Promise<T[]>;
  received: T[];
  /** Completes the subscription (the client sends `complete`); the socket stays open. */
  unsubscribe(): void;
}

export function wsClient(httpUrl: string, token: string | null = API_TOKEN): Client {
  const client = createClient({
    url: httpUrl.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  teardown(() => client.dispose());
  return client;
}

/** Subscribes and waits until the server acknowledged the subscription is live. */
export async function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Promise<Collector<T>> {
  const received: T[] = [];
  const waiters: (() => void)[] = [];
  let failure: unknown;
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) failure = new Error(JSON.stringify(value.errors));
        else received.push(value.data as T);
        waiters.splice(0).forEach((w) => w());
      },
      error: (error) => {
        failure = error;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {},
    },
  );
  // graphql-ws has no "subscribed" acknowledgement; a query answered on the same socket after the
  // subscribe message means the server has taken the subscription in.
  await client.iterate({ query: "{ __typename }" }).next();
  return {
    received,
    unsubscribe,
    next(count = 1, ms = 5_000) {
      return new Promise((resolve, reject) => {
        const deadline = setTimeout(
          () => reject(new Error(`expected ${count} results within ${ms} ms, got ${received.length}`)),
          ms,
        );
        const check = () => {
          if (failure) return reject(failure instanceof Error ? failure : new Error(JSON.stringify(failure)));
          if (received.length >= count) {
            clearTimeout(deadline);
            return resolve(received.slice(0, count));
          }
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/** A ws message (a Buffer, or fragments) read as JSON. */
export function wsJson(data: RawData): any {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return JSON.parse(bytes.toString("utf8"));
}
