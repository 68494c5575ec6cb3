import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createYoga } from "graphql-yoga";
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import type { Logger } from "pino";
import { consoleStyle } from "./logger.ts";
import type { Config } from "./env.ts";
import { createAuthenticator, judgeToken } from "./auth.ts";
import { NOBODY, type Principal } from "./tokens/principal.ts";
import { maskGraphQLError } from "./graphqlErrors.ts";
import { createHubPubSub } from "./pubsub.ts";
import { schema } from "./schema/index.ts";
import type { Context } from "./schema/builder.ts";
import { createDb } from "./storage/db.ts";
import { databaseTarget } from "./storage/provider.ts";
import { applyMigrations, migrateIfPending } from "./storage/migrations.ts";
import { applyMigrationsInChild } from "./storage/migrateProcess.ts";
import { tightenDataFiles } from "./storage/dataFiles.ts";
import { WEBHOOK_PATH, createWebhookRoute, sendError, sendJson } from "./webhooks/route.ts";
import { DeliveryBatcher } from "./ingest/batcher.ts";
import { backfillSignedHashes } from "./ingest/signedHashes.ts";
import { hasParsableUrl, parseRequestTarget } from "./server/requestTarget.ts";
import { carriesOperation, requireToken } from "./server/requireToken.ts";
import { applyHttpLimits, httpServerOptions, limitPendingConnections } from "./server/httpLimits.ts";
import { corsOption } from "./server/cors.ts";
import { createReadiness } from "./server/readiness.ts";
import { createConsoleHandler } from "./server/console.ts";
import { useNodeLimit } from "./server/nodeLimit.ts";
import { noSuggestions } from "./server/noSuggestions.ts";
import { startBackgroundWork, type BackgroundWork } from "./server/background.ts";
import { graphiqlCsp, graphiqlOptions, renderGraphiQLPage, serveGraphiqlAsset } from "./server/graphiql.ts";
import { attachGraphqlWs, type YogaServerContext } from "./server/graphqlWs.ts";
import { createStreamBudget } from "./server/streamBudget.ts";
import { useHttpStreams } from "./server/httpStreams.ts";
import { createOutbound } from "./outbound/outbound.ts";
import { METRICS_PATH, createMetrics } from "./server/metrics.ts";
import { createOnboarding } from "./outbound/onboarding.ts";
import { createGraphTokens } from "./outbound/graphTokens.ts";
import { createAlerts } from "./alerts/alerts.ts";

export const GRAPHQL_PATH = "/graphql";

export { WS_UNAUTHORIZED } from "./auth.ts";

export interface App {
  /** Applies pending migrations, then listens. Resolves with the bound address. */
  start(): Promise<{ port: number; url: string }>;
  /** Stops accepting, closes subscriptions and the database. */
  stop(): Promise<void>;
}

export interface BuildOptions {
  /**
   * Where start() applies migrations. "process" (the default): a short-lived child process, so the
   * schema engine's WebAssembly never takes memory in the server. "in-process": here, as the test
   * suite does (it starts many apps, and one engine per test worker is much quicker than a process each).
   */
  migrate?: "process" | "in-process";
}

/** Builds the whole service; importing this module starts nothing. */
export async function buildApp(config: Config, log: Logger, options: BuildOptions = {}): Promise<App> {
  const target = databaseTarget(config.databaseUrl);
  const storage = await createDb(target, { busyTimeoutMs: config.dbBusyTimeoutMs });
  const pubsub = await createHubPubSub({
    redisUrl: config.redisUrl,
    channelPrefix: config.redisChannelPrefix,
    onRedisError: (err) => log.warn({ err }, "redis unavailable; live events do not reach other instances"),
  });
  const graphTokens = createGraphTokens(storage, { defaultToken: config.graph.token, key: config.onboarding.tokenKey });
  const outbound = createOutbound(storage, pubsub, config, log, graphTokens);
  const onboarding = createOnboarding(storage, pubsub, graphTokens, config);
  const alerts = createAlerts(storage, pubsub, config.alerts, config.onboarding.tokenKey, log);
  const authenticate = createAuthenticator({
    envTokens: config.apiTokens,
    db: storage.prisma,
    cacheTtlMs: config.apiTokenCacheTtlMs,
    cacheMax: config.apiTokenCacheMax,
  });
  // The bearer check below hands the principal (and token) it found to the context factory and
  // the stream budget, which run later for the same request.
  const bearers = new WeakMap<object, { principal: Principal; token: string }>();
  const bearerOf = (request: unknown) => (typeof request === "object" && request !== null ? bearers.get(request) : undefined);
  // SSE and graphql-ws streams share one budget, and end when their token is revoked: checked
  // again about every cache period (at least 1 s apart), so within about two.
  const streams = createStreamBudget(config.streams, authenticate, Math.max(config.apiTokenCacheTtlMs, 1000));

  const yoga = createYoga<YogaServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // graphql-ws passes the connection's principal; over HTTP the bearer check left it by request.
    // An operation that got past neither runs as NOBODY, which sees no WABA's data.
    context: ({ request, principal }) => ({
      db: storage.prisma,
      storage,
      pubsub,
      principal: principal ?? bearerOf(request)?.principal ?? NOBODY,
      limits: { searchMaxLength: config.graphql.searchMaxLength, maxReplayIds: config.graphql.maxReplayIds },
      inactivity: config.inactivity,
      outbound,
      onboarding,
      alerts,
    }),
    cors: corsOption(config.corsOrigins),
    plugins: [
      requireToken({
        judge: (token) => judgeToken(authenticate, token, log),
        accepted: (request, principal, token) => bearers.set(request, { principal, token }),
        graphiqlEnabled: config.graphql.graphiql,
      }),
      graphiqlCsp,
      EnvelopArmorPlugin({
        maxDepth: { n: config.graphql.maxDepth },
        // The node limit below replaces graphql-armor's cost estimate, which refused ordinary inbox queries.
        costLimit: { enabled: false },
        maxAliases: { n: config.graphql.maxAliases },
        maxTokens: { n: config.graphql.maxTokens },
        // Replaced by noSuggestions below, which also covers enum values and variables.
        blockFieldSuggestion: { enabled: false },
      }),
      useHttpStreams(streams, config.streams, (request) => bearerOf(request)?.token),
      useNodeLimit({ maxPageSize: config.graphql.maxPageSize, maxNodes: config.graphql.maxNodes }),
      ...(config.graphql.introspection ? [] : [useDisableIntrospection(), ...noSuggestions()]),
    ],
    logging: consoleStyle(log),
    // isDev explicitly: yoga would otherwise turn on stacks and original messages whenever NODE_ENV is development.
    maskedErrors: { maskError: maskGraphQLError, isDev: config.graphql.debugErrors },
    // A GET for HTML that carries an operation is not the page: it goes on to the token check.
    graphiql: (request) => config.graphql.graphiql && !carriesOperation(request) && graphiqlOptions(),
    renderGraphiQL: renderGraphiQLPage,
  });

  const metrics = createMetrics({ storage, streams, authenticate, log });
  const ingest = new DeliveryBatcher(storage, pubsub, undefined, metrics.batch);
  const webhook = createWebhookRoute({
    ingest,
    observer: metrics.webhook,
    log,
    appSecrets: config.appSecrets,
    verifyToken: config.verifyToken,
    maxBytes: config.webhookMaxBytes,
    maxDepth: config.webhookMaxDepth,
  });

  // Deliveries being handled: shutdown waits for them, so nothing Meta sent is cut off half-way.
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const readiness = createReadiness({
    storage,
    log,
    redis: config.redisUrl ? () => pubsub.ping() : undefined,
    stopping: () => stopping,
  });

  const serveConsole = createConsoleHandler();
  const route = (req: IncomingMessage, res: ServerResponse) => {
    const url = parseRequestTarget(req.url);
    if (url.pathname === WEBHOOK_PATH) {
      const handling = webhook(req, res, url.searchParams)
        .catch((error: unknown) => failed(res, error))
        .finally(() => inFlight.delete(handling));
      inFlight.add(handling);
      return;
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      void readiness().then(
        ({ status, body }) => sendJson(res, status, body),
        (error: unknown) => failed(res, error),
      );
      return;
    }
    if (url.pathname === METRICS_PATH) return void metrics.serve(req, res).catch((error: unknown) => failed(res, error));
    if (url.pathname === GRAPHQL_PATH) {
      if (!hasParsableUrl(req, url.originForm)) return sendError(res, "BAD_REQUEST_TARGET", "request target or Host header is not a valid URL");
      req.url = url.originForm;
      return void Promise.resolve(yoga(req, res, { req, res })).catch((error: unknown) => failed(res, error));
    }
    const asset = config.graphql.graphiql ? serveGraphiqlAsset(req, res, url.pathname) : null;
    if (asset) return void asset.catch((error: unknown) => failed(res, error));
    // The path is not echoed: an answer that repeats what it was sent is a reflection to abuse.
    serveConsole(req, res, () => sendError(res, "NOT_FOUND", `no such route; see ${GRAPHQL_PATH} and ${WEBHOOK_PATH}`));
  };
  // Whatever a request makes throw is answered and logged here, never left to end the process.
  const failed = (res: ServerResponse, error: unknown) => {
    log.error({ err: error }, "request failed");
    if (!res.headersSent) sendError(res, "INTERNAL_SERVER_ERROR", "internal error");
    else res.destroy();
  };
  const server = createServer(httpServerOptions(config.http), (req, res) => {
    // Every answer is what its Content-Type says, never sniffed into HTML or script by a browser.
    res.setHeader("X-Content-Type-Options", "nosniff");
    try {
      route(req, res);
    } catch (error) {
      failed(res, error);
    }
  });
  applyHttpLimits(server, config.http);
  limitPendingConnections(server, config.http.maxPendingConnections);

  const graphqlWs = attachGraphqlWs({ server, path: GRAPHQL_PATH, yoga, config, log, authenticate, streams });

  let background: BackgroundWork | null = null;

  return {
    async start() {
      tightenDataFiles(target, log);
      const applied = await migrateIfPending(target, options.migrate === "in-process" ? applyMigrations : applyMigrationsInChild);
      if (applied.length) log.info({ applied }, "migrations applied");
      await storage.prepare();
      await backfillSignedHashes(storage, log);
      background = startBackgroundWork(storage.prisma, pubsub, config, log);
      outbound.start();
      alerts.start();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      return { port, url: `http://${host}:${port}` };
    },
    async stop() {
      stopping = true;
      // Stop accepting; keep-alive connections that sit idle are closed now, busy ones when done.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.allSettled([...inFlight]);
      await ingest.drain();
      await background?.stop();
      await outbound.stop();
      await alerts.stop();
      // Subscribers get a clean close (1001 Going Away) instead of a dropped socket.
      await graphqlWs.close();
      streams.stop();
      const deadline = setTimeout(() => server.closeAllConnections(), 5_000);
      server.closeIdleConnections();
      await closed;
      clearTimeout(deadline);
      await pubsub.close();
      await storage.close();
    },
  };
}
