import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { YogaServerInstance } from "graphql-yoga";
import { hubError } from "../errors.ts";
import { WebSocketServer, type WebSocket } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { FormattedExecutionResult, SubscribePayload } from "graphql-ws";
import type { GraphQLError, ExecutionArgs, ExecutionResult } from "graphql";
import type { Logger } from "pino";
import type { Config } from "../env.ts";
import { WS_UNAUTHORIZED, bearerToken, judgeToken, type Authenticate } from "../auth.ts";
import { NOBODY, principalKey, type Principal } from "../tokens/principal.ts";
import type { Context } from "../schema/builder.ts";
import { createSharedSubscriptions } from "../subscriptions/sharedSubscriptions.ts";
import { limitUntilAcknowledged, liftFrameLimit, wsServerOptions } from "./wsLimits.ts";
import { parseRequestTarget } from "./requestTarget.ts";
import { createDisplacingPool } from "./displacingPool.ts";
import { streamRefusalError, type StreamBudget } from "./streamBudget.ts";
import { isAsyncIterable, leasedStream } from "./leasedStream.ts";
import { RawFrameSocket, nextFrame, rawPayloadOf, rawPayloadReplacer } from "./sharedFrames.ts";

/** Closes an acknowledged-to-be socket refused by the stream budget: 4429 for the token's share (retrying will not help), 1013 for the server's. */
const REFUSED_CLOSE = { TOO_MANY_SUBSCRIPTIONS: 4429, TOO_MANY_STREAMS: 1013 } as const;

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
  config: Pick<Config, "ws" | "streams">;
  log: Logger;
  authenticate: Authenticate;
  /** Shared with SSE: each acknowledged socket is a stream, each subscription on it a subscription. */
  streams: StreamBudget;
}

/**
 * graphql-ws on the HTTP server's upgrades to `path`: token check at connection_init,
 * every operation through Yoga's envelope, equal subscriptions of one principal sharing one
 * execution, and connections closed when their token is revoked. `close` ends them cleanly.
 */
export function attachGraphqlWs({ server, path, yoga, config, log, authenticate, streams }: GraphqlWsOptions): { close(): Promise<void> } {
  // noServer: attached with {server}, ws re-emits the HTTP server's errors (a port in use at start)
  // on itself, where graphql-ws prints them with a stack and "Please check your implementation".
  const wss: WebSocketServer = new WebSocketServer({ noServer: true, WebSocket: RawFrameSocket, ...wsServerOptions(config.ws, streams.full) });
  // Sockets that have not shown a token yet have a budget of their own; a flood of them pushes out
  // its own oldest (dropped at once: a close handshake would keep the socket for ws's 30 s) instead
  // of refusing everyone, so a real client that sends connection_init gets in (issue #18). A client
  // that shows a valid token at the upgrade (an Authorization header: Node clients can, browsers
  // cannot) is never in that budget, so no flood of silent sockets can push it out.
  const unauthenticated = createDisplacingPool<WebSocket>(config.ws.maxUnauthenticated, (socket) => socket.terminate());
  server.on("upgrade", (req, socket, head) => {
    // The same never-throwing parse as the request listener: an upgrade is a request too.
    if (parseRequestTarget(req.url).pathname !== path) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  wss.on("connection", (socket, req: IncomingMessage) => {
    if (!limitUntilAcknowledged(socket, config.ws)) log.warn("ws internals changed: frames before connection_init get the full limit");
    socket.once("close", () => unauthenticated.delete(socket));
    const presented = bearerToken(req.headers.authorization);
    if (presented === null) unauthenticated.add(socket);
    else
      void authenticate(presented).then(
        (principal) => principal === null && socket.readyState === socket.OPEN && unauthenticated.add(socket),
        () => socket.readyState === socket.OPEN && unauthenticated.add(socket),
      );
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
  // A shared result straight onto an idle subscriber's socket: the frame graphql-ws would send (the same
  // text; sharedFrames.ts), without its per-subscriber promise chain. Declined while the socket still
  // has bytes to write: the result then waits in the subscriber's queue and graphql-ws sends it when the
  // previous frame is out, as before, so a client that stops reading holds no more than it did.
  const deliverTo =
    (socket: WebSocket, id: string) =>
    (result: ExecutionResult): boolean => {
      if (socket.readyState !== socket.OPEN || socket.bufferedAmount > 0) return false;
      socket.send(nextFrame(id, rawPayloadOf(result)));
      return true;
    };
  // Set by onConnect, read by onSubscribe: the principal and token of each authenticated connection.
  const connectionBearers = new WeakMap<object, { principal: Principal; token: string }>();
  // Each subscription takes one of its token's slots (shared with SSE) for as long as it runs.
  const leased = async (token: string | undefined, start: () => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>) => {
    // Only acknowledged sockets get here (graphql-ws closes others with 4401), and they have a token.
    if (token === undefined) return start();
    const lease = streams.openSubscription(token, "ws");
    if (typeof lease === "string") return { errors: [streamRefusalError(lease, config.streams)] };
    try {
      const result = await start();
      if (isAsyncIterable<ExecutionResult>(result)) return leasedStream(result, [lease]).stream;
      lease.release();
      return result;
    } catch (error) {
      lease.release();
      throw error;
    }
  };
  const wsServer = useServer(
    {
      connectionInitWaitTimeout: config.ws.connectionInitTimeoutMs,
      // A result shared by a group's subscribers is serialised once, not once per socket (sharedFrames.ts).
      // graphql-ws types this answer as a formatted result; it only serialises it, through the replacer below.
      onNext: (_ctx, _id, _payload, _args, result) => rawPayloadOf(result) as FormattedExecutionResult,
      jsonMessageReplacer: rawPayloadReplacer,
      onConnect: async (ctx) => {
        // It has sent connection_init: no longer one of the sockets that never do, even while its token is looked up.
        unauthenticated.delete(ctx.extra.socket);
        const params = ctx.connectionParams ?? {};
        const header = params["Authorization"] ?? params["authorization"];
        const token = bearerToken(header) ?? (typeof params["token"] === "string" ? params["token"] : null);
        const verdict = await judgeToken(authenticate, token, log);
        if ("refusal" in verdict) {
          ctx.extra.socket.close(verdict.refusal.wsCode, verdict.refusal.message);
          return false;
        }
        // judgeToken accepts no missing token; this tells the type checker.
        if (!token) return false;
        const socket = ctx.extra.socket;
        // An acknowledged socket is a stream: counted with SSE, and closed with 4401 when its token is revoked.
        const stream = streams.openStream(token, "ws", () => {
          // Its slot comes back now, not when a client that ignores the close lets the socket go.
          if (typeof stream !== "string") stream.release();
          socket.close(WS_UNAUTHORIZED, "token revoked");
        });
        if (typeof stream === "string") {
          socket.close(REFUSED_CLOSE[stream], streamRefusalError(stream, config.streams).message);
          return false;
        }
        socket.once("close", () => stream.release());
        liftFrameLimit(socket, config.ws);
        connectionBearers.set(socket, { principal: verdict.principal, token });
        return true;
      },
      // Run every operation through Yoga's envelope so its plugins (error masking, limits) apply here too.
      // envelop types its execute, subscribe, parse and contextFactory loosely (any); graphql-ws and
      // graphql-js check what they return at run time.
      /* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access */
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args),
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args),
      onSubscribe: async (ctx, id, payload) => {
        const bearer = connectionBearers.get(ctx.extra.socket);
        const principal = bearer?.principal ?? NOBODY;
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
          return [hubError("INTERNAL_SERVER_ERROR", "Unexpected error.")];
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
              leased(bearer?.token, () =>
                shared.subscribe(
                  shareKey(principal, payload),
                  () => enveloped.subscribe(a) as Promise<AsyncIterable<ExecutionResult> | ExecutionResult>,
                  deliverTo(ctx.extra.socket, id),
                ),
              ),
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
      await wsServer.dispose();
    },
  };
}
