import type { ServerOptions, WebSocket } from "ws";
import type { Config } from "../env.ts";

/**
 * The WebSocket server's own limits: frames no larger than the post-handshake limit, and no
 * upgrade while the stream budget is full (`streamsFull`; answered 503: no socket could be
 * acknowledged). Before `connection_init` is acknowledged a socket gets the smaller frame limit
 * (limitUntilAcknowledged) and a place among the unauthenticated sockets (graphqlWs.ts).
 */
export function wsServerOptions(limits: Config["ws"], streamsFull: () => boolean): Pick<ServerOptions, "maxPayload" | "verifyClient"> {
  return {
    maxPayload: limits.maxPayload,
    verifyClient: (_info: unknown, accept: (ok: boolean, code?: number, message?: string) => void) =>
      streamsFull() ? accept(false, 503, "too many open streams") : accept(true),
  };
}

/**
 * ws reads the frame limit from the socket's frame reader, which has no public setter; without
 * it an unauthenticated client could send one 90 MB frame before `connection_init` and the server
 * would buffer all of it (issue #9). test/integration/wsLimits.test.ts fails if ws moves the field.
 */
function setMaxPayload(socket: WebSocket, bytes: number): boolean {
  const receiver: unknown = Reflect.get(socket, "_receiver");
  if (typeof receiver !== "object" || receiver === null || typeof Reflect.get(receiver, "_maxPayload") !== "number") return false;
  return Reflect.set(receiver, "_maxPayload", bytes);
}

/**
 * Small frames only until the connection is acknowledged (call liftFrameLimit then). False when
 * ws no longer has the field: the socket keeps the server-wide limit, still bounded.
 */
export function limitUntilAcknowledged(socket: WebSocket, limits: Config["ws"]): boolean {
  return setMaxPayload(socket, limits.maxPayloadBeforeInit);
}

export function liftFrameLimit(socket: WebSocket, limits: Config["ws"]): void {
  setMaxPayload(socket, limits.maxPayload);
}
