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
import { bearerToken, createTokenCheck } from "./auth.ts";
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
import { useNodeLimit } from "./server/nodeLimit.ts";
import { graphiqlCsp, graphiqlOptions, renderGraphiQLPage, serveGraphiqlAsset } from "./server/graphiql.ts";

export const GRAPHQL_PATH = "/graphql";

/** graphql-ws closes an unauthenticated socket with this code (the WebSocket twin of HTTP 401). */
export const WS_UNAUTHORIZED = 4401;

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
  const isToken = createTokenCheck(config.apiTokens);

  const requireBearer: Plugin = {
    onRequest({ request, url, endResponse, fetchAPI }) {
      // The GraphiQL page itself is public; every operation it sends carries the header.
      const wantsPage = request.method === "GET" && (request.headers.get("accept") ?? "").includes("text/html");
      if (wantsPage && !url.searchParams.has("query")) return;
      if (isToken(bearerToken(request.headers.get("authorization")))) return;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({ errors: [{ message: "missing or invalid bearer token", extensions: { code: "UNAUTHENTICATED" } }] }),
          { status: 401, headers: { "Content-Type": "application/json", "WWW-Authenticate": "Bearer" } },
        ),
      );
    },
  };

  const yoga = createYoga<{ req: IncomingMessage; res: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: () => ({ db, pubsub }),
    plugins: [
      requireBearer,
      graphiqlCsp,
      EnvelopArmorPlugin({
        maxDepth: { n: config.graphql.maxDepth },
        // The node limit below replaces graphql-armor's cost estimate, which refused ordinary inbox queries.
        costLimit: { enabled: false },
        maxAliases: { n: config.graphql.maxAliases },
        maxTokens: { n: config.graphql.maxTokens },
        blockFieldSuggestion: { enabled: !config.graphql.introspection },
      }),
      useNodeLimit({ maxPageSize: config.graphql.maxPageSize, maxNodes: config.graphql.maxNodes }),
      ...(config.graphql.introspection ? [] : [useDisableIntrospection()]),
    ],
    logging: {
      debug: (...a) => log.debug(a),
      info: (...a) => log.info(a),
      warn: (...a) => log.warn(a),
      error: (...a) => log.error(a),
    },
    maskedErrors: { maskError: maskGraphQLError },
    graphiql: config.graphql.graphiql && graphiqlOptions(),
    renderGraphiQL: renderGraphiQLPage,
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
    if (config.graphql.graphiql && serveGraphiqlAsset(req, res, url.pathname)) return;
    sendJson(res, 404, { error: `no route for ${url.pathname}; see ${GRAPHQL_PATH} and ${WEBHOOK_PATH}` });
  });

  // noServer: attached with {server}, ws re-emits the HTTP server's errors (a port in use at start)
  // on itself, where graphql-ws prints them with a stack and "Please check your implementation".
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://localhost").pathname !== GRAPHQL_PATH) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  type Enveloped = ReturnType<typeof yoga.getEnveloped>;
  type EnvelopedArgs = ExecutionArgs & {
    rootValue: Pick<Enveloped, "execute"> & { subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> };
  };
  // Subscriptions asking the same thing share one execution per event (see sharedSubscriptions.ts).
  // Safe across connections because nothing in an operation's result depends on who asked: the
  // context is {db, pubsub} for everyone and auth is one check at onConnect, every API token having
  // the same rights. If per-user authorization is ever added, the key must include the principal.
  const shared = createSharedSubscriptions();
  // Everything the client sent that can change the result; extensions too, for plugins that read them.
  const shareKey = (p: SubscribePayload) => JSON.stringify([p.query, p.operationName ?? null, p.variables ?? null, p.extensions ?? null]);
  const wsServer = useServer(
    {
      onConnect: (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params["Authorization"] ?? params["authorization"];
        const token = bearerToken(header) ?? (typeof params["token"] === "string" ? params["token"] : null);
        if (isToken(token)) return true;
        ctx.extra.socket.close(WS_UNAUTHORIZED, "Unauthorized");
        return false;
      },
      // Run every operation through Yoga's envelope so its plugins (error masking, limits) apply here too.
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload });
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
              shared.subscribe(shareKey(payload), () => enveloped.subscribe(a) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>),
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
