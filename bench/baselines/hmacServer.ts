/**
 * Ingest baseline 1: a bare node:http server that reads the body, checks X-Hub-Signature-256 the
 * way the hub must (src/webhooks/signature.ts: raw bytes, then Meta's escaped form) and answers 200.
 * The floor for any webhook receiver on this machine: HTTP + HMAC, nothing stored.
 */
import { createServer } from "node:http";
import { verifySignature } from "../../src/webhooks/signature.ts";

const secrets = (process.env.WHATSAPP_APP_SECRET ?? "").split(",");

const server = createServer((req, res) => {
  if (req.url === "/healthz") return void res.end("ok");
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const header = req.headers["x-hub-signature-256"];
    const check = verifySignature(body, Array.isArray(header) ? header[0] : header, secrets);
    res.writeHead(check.ok ? 200 : 401, { "Content-Type": "application/json; charset=utf-8" });
    res.end(check.ok ? '{"ok":true}' : '{"error":"signature"}');
  });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
