import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { z } from "zod";
import { loadDevSecrets, type DevSecret, type GeneratedSecrets } from "./devSecrets.ts";
import { DEFAULT_DATABASE_URL } from "./storage/provider.ts";

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** "true"/"false"/"1"/"0"; unset means the environment's default (on, except in production). */
const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "true" || v === "1"));

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  WHATSAPP_APP_SECRET: list,
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  API_TOKENS: list,
  API_TOKEN_CACHE_TTL_MS: z.coerce.number().int().nonnegative().default(10_000),
  API_TOKEN_CACHE_MAX: z.coerce.number().int().positive().default(1000),
  // Meta documents webhook payloads of up to 3 MB, and a history chunk can describe thousands of
  // messages; history is shared once, so a refused chunk is lost for good. 4 MiB leaves a margin.
  WEBHOOK_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  DB_BUSY_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(5000),
  // Below the 10 s a container runtime waits between SIGTERM and SIGKILL (docker stop's default).
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(8000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REDIS_URL: z.string().optional(),
  REDIS_CHANNEL_PREFIX: z.string().default("coexist-hub"),
  GRAPHQL_INTROSPECTION: booleanFlag,
  GRAPHIQL: booleanFlag,
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_PAGE_SIZE: z.coerce.number().int().positive().default(100),
  GRAPHQL_MAX_NODES: z.coerce.number().int().positive().default(500_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().nonnegative().default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().positive().default(5000),
  GRAPHQL_MAX_REPLAY_IDS: z.coerce.number().int().positive().default(100),
  GRAPHQL_DEBUG_ERRORS: booleanFlag,
  SEARCH_MAX_LENGTH: z.coerce.number().int().positive().default(200),
  WEBHOOK_MAX_DEPTH: z.coerce.number().int().positive().default(64),
  CORS_ORIGINS: list,
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  HTTP_MAX_HEADERS_COUNT: z.coerce.number().int().positive().default(100),
  HTTP_MAX_HEADER_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1000),
  HTTP_MAX_PENDING_CONNECTIONS: z.coerce.number().int().positive().default(100),
  WS_MAX_PAYLOAD_BEFORE_INIT: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  WS_MAX_PAYLOAD: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  WS_MAX_UNAUTHENTICATED_SOCKETS: z.coerce.number().int().positive().default(50),
  // Renamed STREAMS_MAX (it now counts SSE streams too); refused rather than silently ignored.
  WS_MAX_SOCKETS: z.undefined({ error: "WS_MAX_SOCKETS is now STREAMS_MAX (graphql-ws sockets and SSE streams together)" }).optional(),
  STREAMS_MAX: z.coerce.number().int().positive().default(500),
  SUBSCRIPTIONS_MAX_PER_TOKEN: z.coerce.number().int().positive().default(100),
  // Edits, revokes and statuses whose message never arrives (e.g. statuses of messages another app
  // sent through the Cloud API) are listed by orphanStatuses, then pruned after this many days.
  PENDING_UPDATE_MAX_AGE_DAYS: z.coerce.number().nonnegative().default(30),
  PENDING_UPDATE_PRUNE_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
  PENDING_UPDATE_PRUNE_BATCH: z.coerce.number().int().positive().default(1000),
  // Meta's current versioned Graph API (any path prefix is kept, so a proxy or the fake can sit there).
  GRAPH_API_URL: z.url().default("https://graph.facebook.com/v27.0"),
  GRAPH_API_TOKEN: z.string().optional(),
  GRAPH_API_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // onboardBusiness (docs/connect-meta.md): the app's id, to exchange an Embedded Signup code for the
  // business's token (with the first WHATSAPP_APP_SECRET), and the 32-byte key that token is kept
  // encrypted under (base64 or hex; `openssl rand -base64 32`). Without the key no token is stored.
  WHATSAPP_APP_ID: z.string().optional(),
  BUSINESS_TOKEN_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
      if (key.length !== 32) ctx.addIssue({ code: "custom", message: `expected 32 bytes in base64 (44 characters) or hex (64), got ${key.length} bytes` });
      return key;
    }),
  SEND_HOLD_MAX_MINUTES: z.coerce.number().nonnegative().default(60),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(80),
  SEND_COEXISTENCE_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SEND_PAIR_INTERVAL_MS: z.coerce.number().int().nonnegative().default(6_000),
  SEND_PAIR_BURST: z.coerce.number().int().positive().default(45),
  SEND_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
  SEND_RETRY_BASE_MS: z.coerce.number().int().positive().default(1_000),
  SEND_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(200),
  SEND_IN_FLIGHT_PER_NUMBER: z.coerce.number().int().positive().max(100).default(16),
  INACTIVITY_WARN_DAYS: z.coerce.number().positive().default(10),
  INACTIVITY_CRITICAL_DAYS: z.coerce.number().positive().default(12),
  INACTIVITY_DISCONNECT_DAYS: z.coerce.number().positive().default(14),
  INACTIVITY_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(60_000),
});

export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  databaseUrl: string;
  appSecrets: string[];
  verifyToken: string;
  apiTokens: string[];
  /** How long a `hub tokens` token's lookup is reused (so how long a revoke can take); 0: every request. */
  apiTokenCacheTtlMs: number;
  apiTokenCacheMax: number;
  webhookMaxBytes: number;
  dbBusyTimeoutMs: number;
  /** After SIGTERM/SIGINT, how long the stop may take before the process exits with what it holds unfinished. */
  shutdownGraceMs: number;
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  redisUrl: string | undefined;
  redisChannelPrefix: string;
  graphql: {
    introspection: boolean;
    graphiql: boolean;
    maxDepth: number;
    /** Largest first/last on a connection. */
    maxPageSize: number;
    /** Most nodes one operation may ask for (page sizes multiplied along each path, summed). */
    maxNodes: number;
    maxAliases: number;
    maxTokens: number;
    /** replayDeliveries(ids): at most this many ids per call (each is a transaction of its own). */
    maxReplayIds: number;
    /** Stack traces and original messages in GraphQL errors; never on unless asked for. */
    debugErrors: boolean;
    /** Longest threads(search:) accepted. */
    searchMaxLength: number;
  };
  /** Deepest nesting of a webhook body's JSON (deeper: 400). */
  webhookMaxDepth: number;
  /** Origins allowed to call GraphQL from a browser (CORS); empty: none, the console is same-origin. */
  corsOrigins: string[];
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxHeadersCount: number;
    maxHeaderBytes: number;
    maxConnections: number;
    /** Connections that have not sent a whole request head yet; beyond, the oldest is closed. */
    maxPendingConnections: number;
  };
  ws: {
    maxPayloadBeforeInit: number;
    maxPayload: number;
    connectionInitTimeoutMs: number;
    /** Sockets whose connection_init is not acknowledged yet; beyond, the oldest is closed (1013). */
    maxUnauthenticated: number;
  };
  /** Long-lived streams: SSE responses and authenticated graphql-ws sockets (src/server/streamBudget.ts). */
  streams: {
    /** All streams at once, whoever opened them. */
    max: number;
    /** Streams, and subscriptions, of one token at once. */
    maxPerToken: number;
  };
  /** Pending message updates (edits, revokes, statuses waiting for their message): how long they are kept. */
  pendingUpdates: {
    maxAgeDays: number;
    pruneIntervalMs: number;
    /** Most rows one prune statement deletes. */
    pruneBatch: number;
  };
  /** Meta's Graph API, for sending (src/outbound/graphClient.ts). */
  graph: {
    /** Base URL with its version, e.g. https://graph.facebook.com/v27.0; requests go to `${apiUrl}/{phone-number-id}/messages`. */
    apiUrl: string;
    /** The system user's access token; undefined: sendMessage refuses with NOT_CONFIGURED. */
    token: string | undefined;
    timeoutMs: number;
  };
  /** onboardBusiness (src/outbound/onboardBusiness.ts, docs/connect-meta.md). */
  onboarding: {
    /** The Meta app's id (WHATSAPP_APP_ID): the code exchange's client_id; its secret is the first of appSecrets. */
    appId: string | undefined;
    /** AES-256 key for business tokens at rest (BUSINESS_TOKEN_KEY); undefined: a code is refused, no token is stored. */
    tokenKey: Buffer | undefined;
  };
  /**
   * Early warning before Meta disconnects a coexistence number whose app was not opened for about 14
   * days (src/domain/inactivity.ts): the levels' thresholds in days, and how often levels are checked.
   */
  inactivity: { warnDays: number; criticalDays: number; disconnectDays: number; checkIntervalMs: number };
  /** The outbound queue (src/outbound/worker.ts, docs/sending.md). */
  send: {
    holdMaxMinutes: number;
    ratePerSecond: number;
    coexistenceRatePerSecond: number;
    pairIntervalMs: number;
    pairBurst: number;
    /** Posts of one send, retries of transient errors included. */
    maxAttempts: number;
    /** First retry's delay; each next one doubles it (at most 5 minutes). */
    retryBaseMs: number;
    pollIntervalMs: number;
    /** Posts of one number awaiting Meta's answer at once (within its pace; one at a time per user). */
    inFlightPerNumber: number;
  };
}

/**
 * Reads the configuration. In development a missing secret or token is generated so the server
 * starts at once (they are returned so the caller prints them once); in production it is an error.
 * Signature checking itself is never switched off.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): { config: Config; generated: GeneratedSecrets } {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid configuration: ${detail} (see .env.example)`);
  }
  const e = parsed.data;
  // Streams and half-open sockets have budgets of their own so that they can never take the
  // connections /healthz and ordinary queries need: together they must leave some of HTTP_MAX_CONNECTIONS.
  if (!(e.INACTIVITY_WARN_DAYS < e.INACTIVITY_CRITICAL_DAYS && e.INACTIVITY_CRITICAL_DAYS < e.INACTIVITY_DISCONNECT_DAYS)) {
    throw new Error(
      `invalid configuration: expected INACTIVITY_WARN_DAYS < INACTIVITY_CRITICAL_DAYS < INACTIVITY_DISCONNECT_DAYS, got ${e.INACTIVITY_WARN_DAYS}, ${e.INACTIVITY_CRITICAL_DAYS}, ${e.INACTIVITY_DISCONNECT_DAYS} (see .env.example)`,
    );
  }
  const reserved = e.STREAMS_MAX + e.WS_MAX_UNAUTHENTICATED_SOCKETS + e.HTTP_MAX_PENDING_CONNECTIONS;
  if (reserved >= e.HTTP_MAX_CONNECTIONS) {
    throw new Error(
      `invalid configuration: STREAMS_MAX + WS_MAX_UNAUTHENTICATED_SOCKETS + HTTP_MAX_PENDING_CONNECTIONS (${reserved}) must be below HTTP_MAX_CONNECTIONS (${e.HTTP_MAX_CONNECTIONS}) (see .env.example)`,
    );
  }
  const generated: GeneratedSecrets = {};
  const make = (key: keyof GeneratedSecrets): string => {
    if (e.NODE_ENV === "production") throw new Error(`${key} must be set in production (see .env.example)`);
    const value = randomBytes(24).toString("base64url");
    generated[key] = value;
    return value;
  };
  return {
    config: {
      env: e.NODE_ENV,
      host: e.HOST,
      port: e.PORT,
      databaseUrl: e.DATABASE_URL,
      appSecrets: e.WHATSAPP_APP_SECRET.length ? e.WHATSAPP_APP_SECRET : [make("WHATSAPP_APP_SECRET")],
      verifyToken: e.WHATSAPP_VERIFY_TOKEN || make("WHATSAPP_VERIFY_TOKEN"),
      apiTokens: e.API_TOKENS.length ? e.API_TOKENS : [make("API_TOKENS")],
      apiTokenCacheTtlMs: e.API_TOKEN_CACHE_TTL_MS,
      apiTokenCacheMax: e.API_TOKEN_CACHE_MAX,
      webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
      dbBusyTimeoutMs: e.DB_BUSY_TIMEOUT_MS,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      logLevel: e.LOG_LEVEL,
      redisUrl: e.REDIS_URL || undefined,
      redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
      graphql: {
        introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== "production",
        graphiql: e.GRAPHIQL ?? e.NODE_ENV !== "production",
        maxDepth: e.GRAPHQL_MAX_DEPTH,
        maxPageSize: e.GRAPHQL_MAX_PAGE_SIZE,
        maxNodes: e.GRAPHQL_MAX_NODES,
        maxAliases: e.GRAPHQL_MAX_ALIASES,
        maxTokens: e.GRAPHQL_MAX_TOKENS,
        maxReplayIds: e.GRAPHQL_MAX_REPLAY_IDS,
        debugErrors: e.GRAPHQL_DEBUG_ERRORS ?? false,
        searchMaxLength: e.SEARCH_MAX_LENGTH,
      },
      webhookMaxDepth: e.WEBHOOK_MAX_DEPTH,
      corsOrigins: e.CORS_ORIGINS,
      http: {
        headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
        requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
        maxHeadersCount: e.HTTP_MAX_HEADERS_COUNT,
        maxHeaderBytes: e.HTTP_MAX_HEADER_BYTES,
        maxConnections: e.HTTP_MAX_CONNECTIONS,
        maxPendingConnections: e.HTTP_MAX_PENDING_CONNECTIONS,
      },
      ws: {
        maxPayloadBeforeInit: e.WS_MAX_PAYLOAD_BEFORE_INIT,
        maxPayload: e.WS_MAX_PAYLOAD,
        connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
        maxUnauthenticated: e.WS_MAX_UNAUTHENTICATED_SOCKETS,
      },
      streams: { max: e.STREAMS_MAX, maxPerToken: e.SUBSCRIPTIONS_MAX_PER_TOKEN },
      pendingUpdates: {
        maxAgeDays: e.PENDING_UPDATE_MAX_AGE_DAYS,
        pruneIntervalMs: e.PENDING_UPDATE_PRUNE_INTERVAL_MS,
        pruneBatch: e.PENDING_UPDATE_PRUNE_BATCH,
      },
      graph: { apiUrl: e.GRAPH_API_URL, token: e.GRAPH_API_TOKEN || undefined, timeoutMs: e.GRAPH_API_TIMEOUT_MS },
      onboarding: { appId: e.WHATSAPP_APP_ID || undefined, tokenKey: e.BUSINESS_TOKEN_KEY },
      inactivity: {
        warnDays: e.INACTIVITY_WARN_DAYS,
        criticalDays: e.INACTIVITY_CRITICAL_DAYS,
        disconnectDays: e.INACTIVITY_DISCONNECT_DAYS,
        checkIntervalMs: e.INACTIVITY_CHECK_INTERVAL_MS,
      },
      send: {
        holdMaxMinutes: e.SEND_HOLD_MAX_MINUTES,
        ratePerSecond: e.SEND_RATE_PER_SECOND,
        coexistenceRatePerSecond: e.SEND_COEXISTENCE_RATE_PER_SECOND,
        pairIntervalMs: e.SEND_PAIR_INTERVAL_MS,
        pairBurst: e.SEND_PAIR_BURST,
        maxAttempts: e.SEND_MAX_ATTEMPTS,
        retryBaseMs: e.SEND_RETRY_BASE_MS,
        pollIntervalMs: e.SEND_POLL_INTERVAL_MS,
        inFlightPerNumber: e.SEND_IN_FLIGHT_PER_NUMBER,
      },
    },
    generated,
  };
}

/**
 * Loads ./.env when there is one (variables already set win), then, outside production, the
 * secrets a development start generated earlier (see devSecrets.ts); returns the names read from there.
 */
export function loadDotEnv(path = ".env"): DevSecret[] {
  if (existsSync(path)) process.loadEnvFile(path);
  return loadDevSecrets();
}
