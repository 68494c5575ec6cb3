import { hubError } from "../errors.ts";
import type { GraphQLError } from "graphql";
import type { Authenticate } from "../auth.ts";
import type { Config } from "../env.ts";
import { watchConnections } from "../tokens/connectionWatch.ts";

/** Why a stream or subscription was not admitted (the GraphQL error's extensions.code). */
export type StreamRefusal = "TOO_MANY_STREAMS" | "TOO_MANY_SUBSCRIPTIONS";

/** How a stream reached the hub: Server-Sent Events over HTTP, or a graphql-ws socket. */
export type StreamTransport = "sse" | "ws";

/** A slot taken; giving it back twice gives it back once. */
export interface Lease {
  release(): void;
}

export interface StreamBudget {
  /**
   * A long-lived connection of `token`: an SSE response or an authenticated graphql-ws socket.
   * Counted against STREAMS_MAX and the token's share, and watched until released: `revoked` is
   * called once the token no longer resolves.
   */
  openStream(token: string, transport: StreamTransport, revoked: () => void): Lease | StreamRefusal;
  /** One subscription of `token`, over either transport. */
  openSubscription(token: string, transport: StreamTransport): Lease | StreamRefusal;
  /** Streams and subscriptions open now, by transport (the metrics endpoint reads them). */
  open(): Record<"streams" | "subscriptions", Record<StreamTransport, number>>;
  /** No stream can be admitted now, whoever asks (graphql-ws then refuses the upgrade). */
  full: () => boolean;
  stop(): void;
}

/**
 * The one budget of long-lived streams, across SSE and graphql-ws. Streams are kept apart from
 * ordinary requests (at most `max`, below HTTP_MAX_CONNECTIONS, see env.ts) so that they can never
 * take the connections /healthz and queries need; each token gets at most `maxPerToken` streams
 * and as many subscriptions, so that one token cannot take the budget from the others; and a
 * revoked token's streams end (their slots come back when they do). Issue #18.
 */
export function createStreamBudget(limits: Config["streams"], authenticate: Authenticate, watchPeriodMs: number): StreamBudget {
  const watch = watchConnections(authenticate, watchPeriodMs);
  const streams = new Map<string, number>();
  const subscriptions = new Map<string, number>();
  let total = 0;
  const open = { streams: { sse: 0, ws: 0 }, subscriptions: { sse: 0, ws: 0 } };
  const take = (counts: Map<string, number>, token: string) => counts.set(token, (counts.get(token) ?? 0) + 1);
  const give = (counts: Map<string, number>, token: string) => {
    const left = (counts.get(token) ?? 1) - 1;
    if (left > 0) counts.set(token, left);
    else counts.delete(token);
  };
  const once = (release: () => void): Lease => {
    let held = true;
    return {
      release() {
        if (held) release();
        held = false;
      },
    };
  };
  return {
    openStream(token, transport, revoked) {
      if ((streams.get(token) ?? 0) >= limits.maxPerToken) return "TOO_MANY_SUBSCRIPTIONS";
      if (total >= limits.max) return "TOO_MANY_STREAMS";
      total++;
      open.streams[transport]++;
      take(streams, token);
      const watched = { revoked };
      watch.add(watched, token);
      return once(() => {
        total--;
        open.streams[transport]--;
        give(streams, token);
        watch.remove(watched);
      });
    },
    openSubscription(token, transport) {
      if ((subscriptions.get(token) ?? 0) >= limits.maxPerToken) return "TOO_MANY_SUBSCRIPTIONS";
      take(subscriptions, token);
      open.subscriptions[transport]++;
      return once(() => {
        give(subscriptions, token);
        open.subscriptions[transport]--;
      });
    },
    open: () => ({ streams: { ...open.streams }, subscriptions: { ...open.subscriptions } }),
    full: () => total >= limits.max,
    stop: () => watch.stop(),
  };
}

/** What a client is told when a stream or subscription is not admitted, on either transport. */
export function streamRefusalError(refusal: StreamRefusal, limits: Config["streams"]): GraphQLError {
  return refusal === "TOO_MANY_SUBSCRIPTIONS"
    ? hubError(refusal, `this token has ${limits.maxPerToken} streams or subscriptions open already; close one first`)
    : hubError(refusal, "too many open streams on this server; retry later");
}

/** The last result of a stream whose token was revoked while it was open. */
export function revokedError(): GraphQLError {
  return hubError("UNAUTHENTICATED", "token revoked");
}
