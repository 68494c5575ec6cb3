import type { Authenticate } from "../auth.ts";

/** What the watch needs of a WebSocket. */
export interface WatchedSocket {
  close(code: number, reason: string): void;
}

export interface ConnectionWatch {
  add(socket: WatchedSocket, token: string): void;
  remove(socket: WatchedSocket): void;
  stop(): void;
}

/**
 * A graphql-ws connection is authenticated once, at connection_init, and may then stay open for
 * days. So that a revoke also ends live subscriptions, every open connection's token is checked
 * again each period (through the authenticator's cache: one read per token per cache period) and
 * a connection whose token no longer resolves is closed with `closeCode`.
 */
export function watchConnections(authenticate: Authenticate, periodMs: number, closeCode: number): ConnectionWatch {
  const open = new Map<WatchedSocket, string>();
  let checking = false;
  const sweep = async () => {
    // A slow database must not stack up sweeps.
    if (checking) return;
    checking = true;
    try {
      for (const [socket, token] of open) {
        // A failed look-up (database down) keeps the connection: the token was valid, and may still be.
        const principal = await authenticate(token).catch(() => undefined);
        if (principal === null) {
          open.delete(socket);
          socket.close(closeCode, "token revoked");
        }
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void sweep(), periodMs);
  timer.unref();
  return {
    add: (socket, token) => void open.set(socket, token),
    remove: (socket) => void open.delete(socket),
    stop: () => clearInterval(timer),
  };
}
