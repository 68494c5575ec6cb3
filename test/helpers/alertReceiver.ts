import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { teardown } from "./teardown.ts";

/** One POST an alert receiver got. */
export interface ReceivedAlert {
  at: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/**
 * How a receiver answers: `healthy` 200s everything; `failing(n)` answers 500 to the first n POSTs
 * and 200 after; `hanging` never answers (the connection stays open until the receiver closes).
 */
export type ReceiverMode = { kind: "healthy" } | { kind: "failing"; times: number } | { kind: "hanging" };

export interface AlertReceiver {
  url: string;
  received: ReceivedAlert[];
  /** POSTs whose answer is being withheld (a hanging receiver's). */
  readonly open: number;
  /** Changes how the next POSTs are answered. */
  answer(mode: ReceiverMode): void;
  close(): Promise<void>;
}

/** A real HTTP receiver on a free port, closed (its hanging requests cut) after the test. */
export async function alertReceiver(mode: ReceiverMode = { kind: "healthy" }): Promise<AlertReceiver> {
  const received: ReceivedAlert[] = [];
  const held = new Set<ServerResponse>();
  let current = mode;
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (current.kind === "hanging") {
        held.add(res);
        res.on("close", () => held.delete(res));
        return;
      }
      const fail = current.kind === "failing" && failures < current.times;
      if (fail) failures++;
      res.writeHead(fail ? 500 : 200, { "Content-Type": "text/plain" }).end(fail ? "boom" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  teardown(close);
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    received,
    get open() {
      return held.size;
    },
    answer(next) {
      current = next;
      failures = 0;
    },
    close,
  };
}

/**
 * The receiver's check as docs/alerts.md writes it, independently of the hub's code: HMAC-SHA256
 * of "<timestamp>.<body>" with the target's secret, and a timestamp at most 5 minutes old.
 */
export function verifiedByReceiver(secret: string, alert: ReceivedAlert): boolean {
  const timestamp = String(alert.headers["x-hub-alert-timestamp"]);
  const signature = String(alert.headers["x-hub-alert-signature-256"]);
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${alert.body}`).digest("hex")}`;
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
  return fresh && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
