import { connect } from "node:net";

export interface RawResponse {
  /** 0 when the server closed the socket without an answer. */
  status: number;
  head: string;
  body: string;
}

/**
 * Writes `request` byte for byte on a fresh socket and reads until the server closes it: fetch
 * and curl normalise what they send (targets, Host), an attacker does not. Ask for
 * `Connection: close` in the request so the server ends the exchange.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const deadline = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(deadline);
      // latin1: one character per byte, so chunk sizes count right; the body is decoded at the end.
      const text = Buffer.concat(chunks).toString("latin1");
      const at = text.indexOf("\r\n\r\n");
      const head = at < 0 ? text : text.slice(0, at);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const body = at < 0 ? "" : Buffer.from(dechunk(head, text.slice(at + 4)), "latin1").toString("utf8");
      resolve({ status, head, body });
    });
    socket.write(request);
  });
}

function dechunk(head: string, body: string): string {
  if (!/transfer-encoding: chunked/i.test(head)) return body;
  let out = "";
  let rest = body;
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
}

/** A GET as an attacker writes it: the target and the headers exactly as given. */
export function rawGet(port: number, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const lines = Object.entries({ Host: "127.0.0.1", ...headers, Connection: "close" }).map(([k, v]) => `${k}: ${v}\r\n`);
  return rawRequest(port, `GET ${target} HTTP/1.1\r\n${lines.join("")}\r\n`);
}

/** What an answer must never show: a stack frame, a file path of ours, SQL or the database's words. */
export const LEAK = /\n\s+at |node_modules|\/src\/|\.ts:\d|SELECT |INSERT |prisma|sqlite|postgres|relation "/i;
