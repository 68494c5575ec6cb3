import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createGraphQLError, type YogaServerInstance } from "graphql-yoga";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { SubscribePayload } from "graphql-ws";
import type { GraphQLError, ExecutionArgs, ExecutionResult } from "graphql";
import type { Logger } from "pino";
import type { Config } from "../env.ts";
import { WS_UNAUTHORIZED, bearerToken, judgeToken, type Authenticate } from "../auth.ts";
import { NOBODY, principalKey, type Principal } from "../tokens/principal.ts";
import { watchConnections } from "../tokens/connectionWatch.ts";
import type { Context } from "../schema/builder.ts";
import { createSharedSubscriptions } from "../subscriptions/sharedSubscriptions.ts";
import { limitUntilAcknowledged, liftFrameLimit, wsServerOptions } from "./wsLimits.ts";
import { parseRequestTarget } from "./requestTarget.ts";

/** What Yoga gets per request: Node's pair over HTTP; graphql-ws adds the connection's principal. */
export interface YogaServerContext {
  req: IncomingMessage;
  res: ServerResponse;
  principal?: Principal;
}

export interface GraphqlWsOptions {
  server: Server;
  /** The one path upgrades are accepted on (GRAPHQL_PATH). */
  path: string;
  yoga: YogaServerInstance<YogaServerContext, Context>;
  config: Pick<Config, "ws" | "apiTokenCacheTtlMs">;
  log: Logger;
  authenticate: Authenticate;
}

/**
 * graphql-ws on the HTTP server's upgrades to `path`: token check at connection_init,
 * every operation through Yoga's envelope, equal subscriptions of one principal sharing one
 * execution, and connections closed when their token is revoked. `close` ends them cleanly.
 */
export function attachGraphqlWs({ server, path, yoga, config, log, authenticate }: GraphqlWsOptions): { close(): Promise<void> } {
  // noServer: attached with {server}, ws re-emits the HTTP server's errors (a port in use at start)
  // on itself, where graphql-ws prints them with a stack and "Please check your implementation".
  const wss: WebSocketServer = new WebSocketServer({ noServer: true, ...wsServerOptions(config.ws, () => wss.clients.size) });
  server.on("upgrade", (req, socket, head) => {
    // The same never-throwing parse as the request listener: an upgrade is a request too.
    if (parseRequestTarget(req.url).pathname !== path) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  wss.on("connection", (socket) => {
    if (!limitUntilAcknowledged(socket, config.ws)) log.warn("ws internals changed: frames before connection_init get the full limit");
    // graphql-ws closes such a socket 1011 and prints the error with console.error: logged here by the convention (src/logger.ts).
    socket.on("error", (err) => log.warn({ err }, "graphql-ws: socket error"));
  });
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
      connectionInitWaitTimeout: config.ws.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = params["Authorization"] ?? params["authorization"];
        const token = bearerToken(header) ?? (typeof params["token"] === "string" ? params["token"] : null);
        const verdict = await judgeToken(authenticate, token, log);
        if ("refusal" in verdict) {
          ctx.extra.socket.close(verdict.refusal.wsCode, verdict.refusal.message);
          return false;
        }
        liftFrameLimit(ctx.extra.socket, config.ws);
        connectionPrincipals.set(ctx.extra.socket, verdict.principal);
        if (token) {
          revocations.add(ctx.extra.socket, token);
          ctx.extra.socket.once("close", () => revocations.remove(ctx.extra.socket));
        }
        return true;
      },
      // Run every operation through Yoga's envelope so its plugins (error masking, limits) apply here too.
      // envelop types its execute, subscribe, parse and contextFactory loosely (any); graphql-ws and
      // graphql-js check what they return at run time.
      /* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const principal = connectionPrincipals.get(ctx.extra.socket) ?? NOBODY;
        const enveloped = yoga.getEnveloped({ ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload, principal });
        // A syntax or limit error (graphql-armor throws from parse) is this operation's error
        // message; thrown, graphql-ws would close the socket and every sibling subscription on it.
        let document: ReturnType<typeof enveloped.parse>;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          // By name: graphql-armor may throw a GraphQLError of another copy of graphql.
          if (error instanceof Error && error.name === "GraphQLError") return [error as GraphQLError];
          log.error({ err: error }, "graphql-ws: parse failed");
          return [createGraphQLError("Unexpected error.")];
        }
        const args = {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
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
      /* eslint-enable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
    },
    wss,
  );

  return {
    async close() {
      revocations.stop();
      await wsServer.dispose();
    },
  };
}
