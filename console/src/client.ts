import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from "urql";

/** graphql-ws close code the hub uses for a refused token (src/app.ts WS_UNAUTHORIZED). */
const WS_UNAUTHORIZED = 4401;

/** idle: no page listens (the socket opens only while a subscription runs). */
export type LiveState = "idle" | "connecting" | "live" | "reconnecting";

export interface HubClient {
  client: Client;
  dispose(): void;
}

/**
 * One urql client per signed-in token: queries over HTTP with the bearer header, subscriptions
 * over one graphql-ws socket on the same origin with the token in connectionParams.
 */
export function createHubClient(token: string, on: { unauthorized(): void; live(state: LiveState): void }): HubClient {
  const wsUrl = new URL("/graphql", location.href);
  wsUrl.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = createWsClient({
    url: wsUrl.href,
    connectionParams: { Authorization: `Bearer ${token}` },
    // Reconnect for ever (the hub restarts, a laptop sleeps), but never with a refused token.
    retryAttempts: Infinity,
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === WS_UNAUTHORIZED),
    on: {
      connecting: (isRetry) => on.live(isRetry ? "reconnecting" : "connecting"),
      connected: () => on.live("live"),
      closed: (event) => {
        if (!(event instanceof CloseEvent)) return on.live("reconnecting");
        if (event.code === WS_UNAUTHORIZED) return on.unauthorized();
        // 1000: closed by graphql-ws itself once the last subscription ended (lazy mode).
        on.live(event.code === 1000 ? "idle" : "reconnecting");
      },
    },
  });
  const client = new Client({
    url: "/graphql",
    preferGetMethod: false,
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${token}` } }),
    exchanges: [
      // Any operation refused for its token signs out (the token was rotated away meanwhile).
      mapExchange({ onError: (error) => void (isUnauthenticated(error) && on.unauthorized()) }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe: (sink) => ({ unsubscribe: ws.subscribe(input, sink) }),
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}

/** The hub answers a missing or wrong token with 401 and code UNAUTHENTICATED. */
export function isUnauthenticated(error: CombinedError | undefined): boolean {
  if (!error) return false;
  if (error.response instanceof Response && error.response.status === 401) return true;
  return error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
}
