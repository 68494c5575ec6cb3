import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import pino from "pino";
import { teardown } from "./teardown.ts";
import { buildApp } from "../../src/app.ts";
import type { Config } from "../../src/env.ts";
import { graphqlAnswer, type GraphQLAnswer } from "./graphql.ts";
import { metaBytes, signLikeMeta } from "./meta.ts";

export const APP_SECRET = "test-app-secret";
export const SECOND_APP_SECRET = "test-app-secret-of-another-app";
export const VERIFY_TOKEN = "test-verify-token";
export const API_TOKEN = "test-api-token";

/** Which database the suite runs on: vitest.config.ts runs every file once per provider. */
export const TEST_PROVIDER = process.env.TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";
const POSTGRES = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";

/** A fresh database for one app: a SQLite file in `dir`, or a PostgreSQL schema of its own. */
export function freshDatabase(dir: string): { url: string; drop(): Promise<void> } {
  if (TEST_PROVIDER === "sqlite") return { url: `file:${join(dir, "test.db")}`, drop: async () => {} };
  const schema = `t_${randomBytes(6).toString("hex")}`;
  return {
    url: `${POSTGRES}?schema=${schema}`,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

/** The GraphQL settings of a test app: a test that needs other limits spreads these and overrides a few. */
export const TEST_GRAPHQL: Config["graphql"] = {
  introspection: true,
  graphiql: true,
  maxDepth: 12,
  maxPageSize: 100,
  maxNodes: 500_000,
  maxAliases: 15,
  maxTokens: 5000,
  debugErrors: false,
  searchMaxLength: 200,
  maxReplayIds: 100,
};

/** The HTTP limits of a test app (spread and override one in a test). */
export const TEST_HTTP: Config["http"] = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // Longer than any pause between a test's requests. At 5 s (production's default) the server
  // sometimes closed an idle socket just as fetch reused it — both run on the test's one event
  // loop, and on a loaded CI machine fetch's own 3 s idle timer fired late — and a delivery failed
  // with ECONNRESET (tokenScopes, after a 3–5 s wait for subscription events). The timeout itself
  // is tested with its own value in hostileRequests.
  keepAliveTimeoutMs: 60_000,
  maxHeadersCount: 100,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 1000,
  maxPendingConnections: 100,
};

/** The Graph API of a test app: nowhere (port 9) and no token; a test that sends spreads its fake's URL and a token over it. */
export const TEST_GRAPH: Config["graph"] = { apiUrl: "http://127.0.0.1:9/v0", token: undefined, timeoutMs: 5_000, maxAnswerBytes: 4 * 1024 * 1024 };

/** The outbound queue of a test app: Meta's defaults, with quick retries and polls. */
export const TEST_SEND: Config["send"] = {
  holdMaxMinutes: 60,
  ratePerSecond: 80,
  coexistenceRatePerSecond: 20,
  pairIntervalMs: 6_000,
  pairBurst: 45,
  maxAttempts: 5,
  retryBaseMs: 50,
  pollIntervalMs: 50,
  inFlightPerNumber: 16,
};

/** Alerts out in a test app: quick polls and retries, a short POST deadline (a test may lower them further). */
export const TEST_ALERTS: Config["alerts"] = {
  timeoutMs: 2_000,
  retryBaseMs: 50,
  retryMaxMinutes: 1,
  pollIntervalMs: 50,
  targetConcurrency: 4,
  syncDeadlineMinutes: 120,
  checkIntervalMs: 3_600_000,
  retentionDays: 30,
};

export interface TestApp {
  url: string;
  /** DATABASE_URL of the app's own database. */
  databaseUrl: string;
  port: number;
  /** POSTs a payload as Meta would: Meta-style bytes, signed with the app secret. */
  deliver(payload: unknown, secret?: string): Promise<Response>;
  /** POSTs raw bytes with whatever headers the test wants. */
  post(body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
  /** The GraphQL answer's body as it came (data and errors), for tests about errors; gql (graphql.ts) throws on them instead. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>["body"]>;
  stop(): Promise<void>;
}

/** Starts the real server on a free port with a fresh SQLite database; stopped after the file's tests. */
export async function startApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), "coexist-hub-test-"));
  const database = freshDatabase(dir);
  const config: Config = {
    env: "test",
    host: "127.0.0.1",
    port: 0,
    databaseUrl: database.url,
    appSecrets: [APP_SECRET, SECOND_APP_SECRET],
    verifyToken: VERIFY_TOKEN,
    apiTokens: [API_TOKEN],
    apiTokenCacheTtlMs: 10_000,
    apiTokenCacheMax: 1000,
    webhookMaxBytes: 64 * 1024,
    dbBusyTimeoutMs: 5000,
    shutdownGraceMs: 8000,
    logLevel: "silent",
    redisUrl: undefined,
    redisChannelPrefix: `test-${randomBytes(6).toString("hex")}`,
    graphql: TEST_GRAPHQL,
    webhookMaxDepth: 64,
    corsOrigins: [],
    http: TEST_HTTP,
    ws: { maxPayloadBeforeInit: 16 * 1024, maxPayload: 256 * 1024, connectionInitTimeoutMs: 3_000, maxUnauthenticated: 50 },
    streams: { max: 500, maxPerToken: 100 },
    pendingUpdates: { maxAgeDays: 30, pruneIntervalMs: 3_600_000, pruneBatch: 1000 },
    // Meta's rule (about 14 days), checked once an hour: a test that watches levels change sets a short interval.
    inactivity: { warnDays: 10, criticalDays: 12, disconnectDays: 14, checkIntervalMs: 3_600_000 },
    // Meta's defaults, checked once an hour and whenever a disconnection opens.
    stalls: { offboardingMinutes: 30, historySyncMinutes: 60, checkIntervalMs: 3_600_000 },
    // No token: nothing is sent unless a test points the hub at a fake Graph API (test/helpers/fakeGraph.ts).
    graph: TEST_GRAPH,
    send: TEST_SEND,
    alerts: TEST_ALERTS,
    templates: { cacheMinutes: 60, maxPages: 20 },
    // No key: onboardBusiness refuses a code unless a test gives one.
    onboarding: { appId: undefined, tokenKey: undefined },
    ...overrides,
  };
  // Migrations in-process: a child process per app would slow the suite (see BuildOptions);
  // test/helpers/process.ts starts the real server, which migrates in its child process.
  const app = await buildApp(config, pino({ level: "silent" }), { migrate: "in-process" });
  const { url, port } = await app.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await app.stop();
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  teardown(stop);

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`${url}/webhooks/whatsapp`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });

  return {
    url,
    port,
    databaseUrl: config.databaseUrl,
    post,
    deliver(payload, secret = APP_SECRET) {
      const bytes = metaBytes(payload);
      return post(bytes, { "X-Hub-Signature-256": signLikeMeta(bytes, secret) });
    },
    async graphql(query, variables) {
      return (await graphqlAnswer(url, query, variables, { token: API_TOKEN })).body;
    },
    stop,
  };
}
