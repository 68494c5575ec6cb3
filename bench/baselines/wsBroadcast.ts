/**
 * Fan-out baseline: a raw `ws` server that speaks just enough of graphql-ws (connection_init →
 * connection_ack, subscribe, ping/pong, complete) for the same graphql-ws clients, and on each
 * signed webhook POST answers 200 and then sends one pre-serialized `next` frame (the same shape
 * and size as the hub's) to every matching subscription. No database, no GraphQL execution: the
 * floor for pushing one event to 1,000 sockets on this machine.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { verifySignature } from "../../src/webhooks/signature.ts";

const secrets = (process.env.WHATSAPP_APP_SECRET ?? "").split(",");
type Field = "messages" | "disconnections";
const subscribers: Record<Field, Map<WebSocket, string[]>> = { messages: new Map(), disconnections: new Map() };
const threadId = randomUUID();

function broadcast(field: Field, data: unknown): void {
  const payload = JSON.stringify({ data: { [field]: data } });
  for (const [socket, ids] of subscribers[field]) {
    for (const id of ids) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
  }
}

const server = createServer((req, res) => {
  if (req.url === "/healthz") return void res.end("ok");
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const header = req.headers["x-hub-signature-256"];
    const check = verifySignature(body, Array.isArray(header) ? header[0] : header, secrets);
    if (!check.ok) {
      res.writeHead(401);
      return void res.end();
    }
    const change = JSON.parse(body.toString("utf8")).entry[0].changes[0];
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ deliveryId: randomUUID(), outcome: "PROCESSED" }));
    const v = change.value;
    if (change.field === "messages") {
      const m = v.messages[0];
      broadcast("messages", {
        id: randomUUID(),
        wamid: m.id,
        threadId,
        direction: "INBOUND",
        source: "WEBHOOK",
        type: m.type,
        text: m.text?.body ?? null,
        timestamp: new Date(Number(m.timestamp) * 1000).toISOString(),
        status: null,
      });
    } else if (change.field === "account_update") {
      broadcast("disconnections", {
        id: randomUUID().replace(/-/g, "") + randomUUID().replace(/-/g, ""),
        wabaId: v.waba_info.waba_id,
        kind: v.event,
        reason: v.disconnection_info?.reason ?? null,
        initiatedBy: v.disconnection_info?.initiated_by ?? null,
        occurredAt: new Date().toISOString(),
        resolvedAt: null,
        recommendedAction: "PROMPT_RECONNECT",
      });
    }
  });
});

const wss = new WebSocketServer({ server, path: "/graphql" });
wss.on("connection", (socket, req) => {
  if (req.headers["sec-websocket-protocol"] !== "graphql-transport-ws") return socket.close(4406, "Subprotocol not acceptable");
  socket.on("message", (raw) => {
    const msg = JSON.parse(Buffer.isBuffer(raw) ? raw.toString("utf8") : Buffer.concat(Array.isArray(raw) ? raw : [Buffer.from(raw)]).toString("utf8"));
    if (msg.type === "connection_init") {
      const auth = msg.payload?.Authorization;
      if (typeof auth !== "string" || !auth.startsWith("Bearer ")) return socket.close(4401, "Unauthorized");
      socket.send('{"type":"connection_ack"}');
    } else if (msg.type === "ping") socket.send('{"type":"pong"}');
    else if (msg.type === "subscribe") {
      const field: Field = /disconnections/.test(msg.payload.query) ? "disconnections" : "messages";
      const ids = subscribers[field].get(socket) ?? [];
      ids.push(msg.id);
      subscribers[field].set(socket, ids);
    } else if (msg.type === "complete") {
      for (const field of ["messages", "disconnections"] as const) {
        const ids = subscribers[field].get(socket)?.filter((id) => id !== msg.id);
        if (ids) subscribers[field].set(socket, ids);
      }
    }
  });
  socket.on("close", () => {
    subscribers.messages.delete(socket);
    subscribers.disconnections.delete(socket);
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  for (const c of wss.clients) c.terminate();
  server.close(() => process.exit(0));
});
