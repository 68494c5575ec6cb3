import type { Authenticate } from "../auth.ts";

/** Anything authenticated once and then kept open: a graphql-ws socket, an SSE response. */
export interface WatchedStream {
  /** The token no longer resolves: end the stream the way its transport says so. */
  revoked(): void;
}

export interface ConnectionWatch {
  add(stream: WatchedStream, token: string): void;
  remove(stream: WatchedStream): void;
  stop(): void;
}

/**
 * A stream is authenticated once, when it opens, and may then stay open for days. So that a
 * revoke also ends live subscriptions, on every transport alike, every open stream's token is
 * checked again each period (through the authenticator's cache: one read per token per cache
 * period) and a stream whose token no longer resolves is told so.
 */
export function watchConnections(authenticate: Authenticate, periodMs: number): ConnectionWatch {
  const open = new Map<WatchedStream, string>();
  let checking = false;
  const sweep = async () => {
    // A slow database must not stack up sweeps.
    if (checking) return;
    checking = true;
    try {
      for (const [stream, token] of open) {
        // A failed look-up (database down) keeps the stream: the token was valid, and may still be.
        const principal = await authenticate(token).catch(() => undefined);
        if (principal === null && open.delete(stream)) stream.revoked();
      }
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void sweep(), periodMs);
  timer.unref();
  return {
    add: (stream, token) => void open.set(stream, token),
    remove: (stream) => void open.delete(stream),
    stop: () => clearInterval(timer),
  };
}
