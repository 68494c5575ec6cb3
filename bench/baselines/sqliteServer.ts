/**
 * Ingest baseline 2: baseline 1 plus the durable part of the job: one INSERT of the raw delivery
 * (a WebhookDelivery-shaped row with its sha256 content hash, unique) per request, with
 * better-sqlite3 in WAL mode with synchronous FULL (as the hub uses it).
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { verifySignature } from "../../src/webhooks/signature.ts";

const secrets = (process.env.WHATSAPP_APP_SECRET ?? "").split(",");
const db = new Database(process.env.DATABASE_FILE ?? "baseline.db", { timeout: 5000 });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL"); // as the hub: every commit fsync'd
db.exec(`CREATE TABLE IF NOT EXISTS "WebhookDelivery" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "contentHash" TEXT NOT NULL UNIQUE,
  "body" TEXT NOT NULL,
  "signature" TEXT NOT NULL,
  "signatureScheme" TEXT NOT NULL,
  "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "status" TEXT NOT NULL DEFAULT 'RECEIVED'
)`);
const insert = db.prepare(
  `INSERT INTO "WebhookDelivery" ("id", "contentHash", "body", "signature", "signatureScheme") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("contentHash") DO NOTHING`,
);

const server = createServer((req, res) => {
  if (req.url === "/healthz") return void res.end("ok");
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const header = req.headers["x-hub-signature-256"];
    const check = verifySignature(body, Array.isArray(header) ? header[0] : header, secrets);
    if (!check.ok) {
      res.writeHead(401, { "Content-Type": "application/json; charset=utf-8" });
      return void res.end('{"error":"signature"}');
    }
    const id = randomUUID();
    insert.run(id, createHash("sha256").update(body).digest("hex"), body.toString("utf8"), String(header), check.scheme);
    res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ deliveryId: id }));
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () =>
  server.close(() => {
    db.close();
    process.exit(0);
  }),
);
