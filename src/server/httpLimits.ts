import type { Server, ServerOptions } from "node:http";
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
