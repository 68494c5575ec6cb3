import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createYoga, type Plugin } from "graphql-yoga";
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { SubscribePayload } from "graphql-ws";
import type { ExecutionArgs, ExecutionResult } from "graphql";
import type { Logger } from "pino";
import type { Config } from "./env.ts";
import { WS_UNAUTHORIZED, bearerToken, createAuthenticator, judgeToken, refusalResponse } from "./auth.ts";
import { NOBODY, principalKey, type Principal } from "./tokens/principal.ts";
import { watchConnections } from "./tokens/connectionWatch.ts";
import { maskGraphQLError } from "./graphqlErrors.ts";
import { createHubPubSub } from "./pubsub.ts";
import { schema } from "./schema/index.ts";
import type { Context } from "./schema/builder.ts";
import { closeDb, createDb, prepareDb } from "./storage/db.ts";
import { databaseTarget } from "./storage/provider.ts";
import { applyMigrations, unappliedMigrations } from "./storage/migrations.ts";
import { applyMigrationsInChild } from "./storage/migrateProcess.ts";
import { WEBHOOK_PATH, createWebhookRoute, sendJson } from "./webhooks/route.ts";
import { DeliveryBatcher } from "./ingest/batcher.ts";
import { createSharedSubscriptions } from "./subscriptions/sharedSubscriptions.ts";

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
  const db = await createDb(target, { busyTimeoutMs: config.dbBusyTimeoutMs });
  const pubsub = createHubPubSub({
    redisUrl: config.redisUrl,
    channelPrefix: config.redisChannelPrefix,
    onRedisError: (err) => log.warn({ err }, "redis unavailable; live events do not reach other instances"),
  });
  const authenticate = createAuthenticator({
    envTokens: config.apiTokens,
    db,
    cacheTtlMs: config.apiTokenCacheTtlMs,
    cacheMax: config.apiTokenCacheMax,
  });
  // The bearer check below hands the principal it found to the context factory, which runs later for the same request.
  const principals = new WeakMap<Request, Principal>();

  const requireBearer: Plugin = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      // The GraphiQL page itself is public; every operation it sends carries the header.
      const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
      if (wantsPage && !url.searchParams.has("query")) return;
      const verdict = await judgeToken(authenticate, bearerToken(request.headers.get("authorization")), log);
      if ("principal" in verdict) principals.set(request, verdict.principal);
      else endResponse(refusalResponse(verdict.refusal, fetchAPI));
    },
  };

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse; principal?: Principal }, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // graphql-ws passes the connection's principal; over HTTP the bearer check left it by request.
    // An operation that got past neither runs as NOBODY, which sees no WABA's data.
    context: ({ request, principal }) => ({ db, pubsub, principal: principal ?? principals.get(request) ?? NOBODY }),
    plugins: [
      requireBearer,
      EnvelopArmorPlugin({
        maxDepth: { n: config.graphql.maxDepth },
        costLimit: { maxCost: config.graphql.maxCost },
        maxAliases: { n: config.graphql.maxAliases },
        maxTokens: { n: config.graphql.maxTokens },
        blockFieldSuggestion: { enabled: !config.graphql.introspection },
      }),
      ...(config.graphql.introspection ? [] : [useDisableIntrospection()]),
    ],
    logging: {
      debug: (...a) => log.debug(a),
      info: (...a) => log.info(a),
      warn: (...a) => log.warn(a),
      error: (...a) => log.error(a),
    },
    maskedErrors: { maskError: maskGraphQLError },
    graphiql: config.graphql.graphiql && {
      title: "Coexist Hub",
      subscriptionsProtocol: "WS",
      headers: JSON.stringify({ Authorization: "Bearer <one of API_TOKENS>" }),
    },
  });

  const ingest = new DeliveryBatcher(db, pubsub);
  const webhook = createWebhookRoute({
    ingest,
    log,
    appSecrets: config.appSecrets,
    verifyToken: config.verifyToken,
    maxBytes: config.webhookMaxBytes,
  });

  // Deliveries being handled: shutdown waits for them, so nothing Meta sent is cut off half-way.
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  const readiness = async () => {
    const checks: Record<string, string> = {};
    try {
      await db.$queryRawUnsafe("SELECT 1");
      checks.database = "ok";
      const pending = await unappliedMigrations(target.provider, () =>
        db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>('SELECT migration_name, finished_at FROM "_prisma_migrations"'),
      );
      checks.migrations = pending.length ? `pending: ${pending.join(", ")}` : "ok";
    } catch (error) {
      checks.database = `unreachable: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
    }
    if (config.redisUrl) checks.redis = (await pubsub.ping()) ? "ok" : "unreachable";
    if (stopping) checks.server = "stopping";
    const ready = Object.values(checks).every((v) => v === "ok");
    return { status: ready ? 200 : 503, body: { status: ready ? "ready" : "not ready", checks } };
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === WEBHOOK_PATH) {
      const handling = webhook(req, res, url)
        .catch((error: unknown) => {
          log.error({ err: error }, "webhook route crashed");
          if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        })
        .finally(() => inFlight.delete(handling));
      inFlight.add(handling);
      return;
    }
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (url.pathname === "/readyz") {
      void readiness().then(({ status, body }) => sendJson(res, status, body));
      return;
    }
    if (url.pathname === GRAPHQL_PATH) return void yoga(req, res, { req, res });
    sendJson(res, 404, { error: `no route for ${url.pathname}; see ${GRAPHQL_PATH} and ${WEBHOOK_PATH}` });
  });

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH });
  type Enveloped = ReturnType<typeof yoga.getEnveloped>;
  type EnvelopedArgs = ExecutionArgs & {
    rootValue: Pick<Enveloped, "execute"> & { subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> };
  };
  // Subscriptions asking the same thing share one execution per event (see sharedSubscriptions.ts).
  // The first subscriber's context serves the group, and what a result holds depends on the
  // principal (its WABAs and powers), so the key includes it: only subscribers of the same token share.
  const shared = createSharedSubscriptions();
  // Everything that can change the result: the principal, and all the client sent (extensions too, for plugins that read them).
  const shareKey = (principal: Principal, p: SubscribePayload) =>
    JSON.stringify([principalKey(principal), p.query, p.operationName ?? null, p.variables ?? null, p.extensions ?? null]);
  // Set by onConnect, read by onSubscribe: the principal of each authenticated connection.
  const connectionPrincipals = new WeakMap<object, Principal>();
  // Revoked tokens lose their open connections too, within about two cache periods (at least 1 s between checks).
  const revocations = watchConnections(authenticate, Math.max(config.apiTokenCacheTtlMs, 1000), WS_UNAUTHORIZED);
  const wsServer = useServer(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params["Authorization"] ?? params["authorization"];
        const token = bearerToken(header) ?? (typeof params["token"] === "string" ? params["token"] : null);
        const verdict = await judgeToken(authenticate, token, log);
        if ("refusal" in verdict) {
          ctx.extra.socket.close(verdict.refusal.wsCode, verdict.refusal.message);
          return false;
        }
        connectionPrincipals.set(ctx.extra.socket, verdict.principal);
        if (token) {
          revocations.add(ctx.extra.socket, token);
          ctx.extra.socket.once("close", () => revocations.remove(ctx.extra.socket));
        }
        return true;
      },
      // Run every operation through Yoga's envelope so its plugins (error masking, limits) apply here too.
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const principal = connectionPrincipals.get(ctx.extra.socket) ?? NOBODY;
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload, principal });
        const args = {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document: enveloped.parse(payload.query),
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: {
            execute: enveloped.execute,
            // Only the first subscriber of a key runs this; the others join its stream, so that
            // subscriber's context (its socket too) serves the group until the last member leaves.
            subscribe: (a: ExecutionArgs) =>
              shared.subscribe(shareKey(principal, payload), () => enveloped.subscribe(a) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>),
          },
        };
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );

  return {
    async start() {
      const applied = options.migrate === "in-process" ? await applyMigrations(target) : await applyMigrationsInChild(target);
      if (applied.length) log.info({ applied }, "migrations applied");
      await prepareDb(db, target);
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
      // Subscribers get a clean close (1001 Going Away) instead of a dropped socket.
      revocations.stop();
      await wsServer.dispose();
      const deadline = setTimeout(() => server.closeAllConnections(), 5_000);
      server.closeIdleConnections();
      await closed;
      clearTimeout(deadline);
      await pubsub.close();
      await closeDb(db);
    },
  };
}
