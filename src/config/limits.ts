import { z } from "zod";
import { booleanFlag, invalidConfiguration, list, positiveInt, type EnvOf } from "./values.ts";

/** What one request, stream or operation may take: the bounds hostile input meets (docs/production.md). */
export const limitsEnv = {
  // Meta documents webhook payloads of up to 3 MB, and a history chunk can describe thousands of
  // messages; history is shared once, so a refused chunk is lost for good. 4 MiB leaves a margin.
  WEBHOOK_MAX_BYTES: positiveInt(4 * 1024 * 1024),
  WEBHOOK_MAX_DEPTH: positiveInt(64),
  GRAPHQL_INTROSPECTION: booleanFlag,
  GRAPHIQL: booleanFlag,
  GRAPHQL_MAX_DEPTH: positiveInt(12),
  GRAPHQL_MAX_PAGE_SIZE: positiveInt(100),
  GRAPHQL_MAX_NODES: positiveInt(500_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().nonnegative().default(15),
  GRAPHQL_MAX_TOKENS: positiveInt(5000),
  GRAPHQL_MAX_REPLAY_IDS: positiveInt(100),
  GRAPHQL_DEBUG_ERRORS: booleanFlag,
  SEARCH_MAX_LENGTH: positiveInt(200),
  CORS_ORIGINS: list,
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(5_000),
  HTTP_MAX_HEADERS_COUNT: positiveInt(100),
  HTTP_MAX_HEADER_BYTES: positiveInt(16 * 1024),
  HTTP_MAX_CONNECTIONS: positiveInt(1000),
  HTTP_MAX_PENDING_CONNECTIONS: positiveInt(100),
  WS_MAX_PAYLOAD_BEFORE_INIT: positiveInt(16 * 1024),
  WS_MAX_PAYLOAD: positiveInt(256 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: positiveInt(3_000),
  WS_MAX_UNAUTHENTICATED_SOCKETS: positiveInt(50),
  // Renamed STREAMS_MAX (it now counts SSE streams too); refused rather than silently ignored.
  WS_MAX_SOCKETS: z.undefined({ error: "WS_MAX_SOCKETS is now STREAMS_MAX (graphql-ws sockets and SSE streams together)" }).optional(),
  STREAMS_MAX: positiveInt(500),
  SUBSCRIPTIONS_MAX_PER_TOKEN: positiveInt(100),
};

type LimitsEnv = EnvOf<typeof limitsEnv>;

/**
 * Streams and half-open sockets have budgets of their own so that they can never take the
 * connections /healthz and ordinary queries need: together they must leave some of HTTP_MAX_CONNECTIONS.
 */
export function checkLimits(e: LimitsEnv): void {
  const reserved = e.STREAMS_MAX + e.WS_MAX_UNAUTHENTICATED_SOCKETS + e.HTTP_MAX_PENDING_CONNECTIONS;
  if (reserved >= e.HTTP_MAX_CONNECTIONS) {
    throw invalidConfiguration(
      `STREAMS_MAX + WS_MAX_UNAUTHENTICATED_SOCKETS + HTTP_MAX_PENDING_CONNECTIONS (${reserved}) must be below HTTP_MAX_CONNECTIONS (${e.HTTP_MAX_CONNECTIONS})`,
    );
  }
}

/** `production`: introspection and GraphiQL default to off. */
export function limitsConfig(e: LimitsEnv, production: boolean) {
  return {
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    /** Deepest nesting of a webhook body's JSON (deeper: 400). */
    webhookMaxDepth: e.WEBHOOK_MAX_DEPTH,
    graphql: {
      introspection: e.GRAPHQL_INTROSPECTION ?? !production,
      graphiql: e.GRAPHIQL ?? !production,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      /** Largest first/last on a connection. */
      maxPageSize: e.GRAPHQL_MAX_PAGE_SIZE,
      /** Most nodes one operation may ask for (page sizes multiplied along each path, summed). */
      maxNodes: e.GRAPHQL_MAX_NODES,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      /** replayDeliveries(ids): at most this many ids per call (each is a transaction of its own). */
      maxReplayIds: e.GRAPHQL_MAX_REPLAY_IDS,
      /** Stack traces and original messages in GraphQL errors; never on unless asked for. */
      debugErrors: e.GRAPHQL_DEBUG_ERRORS ?? false,
      /** Longest threads(search:) accepted. */
      searchMaxLength: e.SEARCH_MAX_LENGTH,
    },
    /** Origins allowed to call GraphQL from a browser (CORS); empty: none, the console is same-origin. */
    corsOrigins: e.CORS_ORIGINS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxHeadersCount: e.HTTP_MAX_HEADERS_COUNT,
      maxHeaderBytes: e.HTTP_MAX_HEADER_BYTES,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      /** Connections that have not sent a whole request head yet; beyond, the oldest is closed. */
      maxPendingConnections: e.HTTP_MAX_PENDING_CONNECTIONS,
    },
    ws: {
      maxPayloadBeforeInit: e.WS_MAX_PAYLOAD_BEFORE_INIT,
      maxPayload: e.WS_MAX_PAYLOAD,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
      /** Sockets whose connection_init is not acknowledged yet; beyond, the oldest is closed (1013). */
      maxUnauthenticated: e.WS_MAX_UNAUTHENTICATED_SOCKETS,
    },
    /** Long-lived streams: SSE responses and authenticated graphql-ws sockets (src/server/streamBudget.ts). */
    streams: {
      /** All streams at once, whoever opened them. */
      max: e.STREAMS_MAX,
      /** Streams, and subscriptions, of one token at once. */
      maxPerToken: e.SUBSCRIPTIONS_MAX_PER_TOKEN,
    },
  };
}
