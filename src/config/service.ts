import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "../storage/provider.ts";
import type { GeneratedSecrets } from "../devSecrets.ts";
import { list, positiveInt, type EnvOf } from "./values.ts";

/** The service itself: where it listens and stores, its secrets and tokens, logs, Redis, housekeeping. */
export const serviceEnv = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().default(DEFAULT_DATABASE_URL),
  WHATSAPP_APP_SECRET: list,
  WHATSAPP_VERIFY_TOKEN: z.string().optional(),
  API_TOKENS: list,
  API_TOKEN_CACHE_TTL_MS: z.coerce.number().int().nonnegative().default(10_000),
  API_TOKEN_CACHE_MAX: positiveInt(1000),
  DB_BUSY_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(5000),
  // Below the 10 s a container runtime waits between SIGTERM and SIGKILL (docker stop's default).
  SHUTDOWN_GRACE_MS: positiveInt(8000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REDIS_URL: z.string().optional(),
  REDIS_CHANNEL_PREFIX: z.string().default("coexist-hub"),
  // Edits, revokes and statuses whose message never arrives (e.g. statuses of messages another app
  // sent through the Cloud API) are listed by orphanStatuses, then pruned after this many days.
  PENDING_UPDATE_MAX_AGE_DAYS: z.coerce.number().nonnegative().default(30),
  PENDING_UPDATE_PRUNE_INTERVAL_MS: positiveInt(3_600_000),
  PENDING_UPDATE_PRUNE_BATCH: positiveInt(1000),
};

/** Generates a missing secret outside production (and remembers it to print once); throws in production. */
export type MakeSecret = (key: keyof GeneratedSecrets) => string;

export function serviceConfig(e: EnvOf<typeof serviceEnv>, make: MakeSecret) {
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    appSecrets: e.WHATSAPP_APP_SECRET.length ? e.WHATSAPP_APP_SECRET : [make("WHATSAPP_APP_SECRET")],
    verifyToken: e.WHATSAPP_VERIFY_TOKEN || make("WHATSAPP_VERIFY_TOKEN"),
    apiTokens: e.API_TOKENS.length ? e.API_TOKENS : [make("API_TOKENS")],
    /** How long a `hub tokens` token's lookup is reused (so how long a revoke can take); 0: every request. */
    apiTokenCacheTtlMs: e.API_TOKEN_CACHE_TTL_MS,
    apiTokenCacheMax: e.API_TOKEN_CACHE_MAX,
    dbBusyTimeoutMs: e.DB_BUSY_TIMEOUT_MS,
    /** After SIGTERM/SIGINT, how long the stop may take before the process exits with what it holds unfinished. */
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL || undefined,
    redisChannelPrefix: e.REDIS_CHANNEL_PREFIX,
    /** Pending message updates (edits, revokes, statuses waiting for their message): how long they are kept. */
    pendingUpdates: {
      maxAgeDays: e.PENDING_UPDATE_MAX_AGE_DAYS,
      pruneIntervalMs: e.PENDING_UPDATE_PRUNE_INTERVAL_MS,
      /** Most rows one prune statement deletes. */
      pruneBatch: e.PENDING_UPDATE_PRUNE_BATCH,
    },
  };
}
