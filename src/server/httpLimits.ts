import type { Server, ServerOptions } from "node:http";
import type { Socket } from "node:net";
import { createDisplacingPool } from "./displacingPool.ts";
import type { Config } from "../env.ts";

/**
 * Options for createServer (some can only be given there): the largest header block Node reads
 * before answering 431 (Node's own default, 16 KiB, made one of our limits) and the timeouts.
 */
export function httpServerOptions(limits: Config["http"]): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node looks for expired requests only this often (30 s by default), which would stretch a
    // 10 s header timeout to 40 s.
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

/**
 * How long a slow client may hold a connection, and how many connections there may be. Node's
 * defaults let a client take 60 s for its headers and 300 s for its body, with no cap on
 * connections: a few hundred slow sockets would hold the server (issue #9).
 */
export function applyHttpLimits(server: Server, limits: Config["http"]): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeadersCount;
  // Beyond this Node closes new sockets at once (WebSocket upgrades count: they are connections).
  server.maxConnections = limits.maxConnections;
}

/**
 * Connections that have not yet sent a whole request head (a slowloris trickles its headers, or
 * sends nothing) get a budget of their own, below HTTP_MAX_CONNECTIONS: beyond it the oldest is
 * dropped, so such sockets can never hold every connection and keep /healthz out (issue #18).
 * A connection leaves the budget with its first request (or upgrade); idle keep-alive is bounded
 * by HTTP_KEEP_ALIVE_TIMEOUT_MS instead.
 */
export function limitPendingConnections(server: Server, maxPending: number): void {
  const pending = createDisplacingPool<Socket>(maxPending, (socket) => socket.destroy(), { deferred: true });
  server.on("connection", (socket: Socket) => {
    pending.add(socket);
    socket.once("close", () => pending.delete(socket));
  });
  server.on("request", (req: { socket: Socket }) => pending.delete(req.socket));
  server.on("upgrade", (req: { socket: Socket }) => pending.delete(req.socket));
}
