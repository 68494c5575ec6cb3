/**
 * The group-commit ceiling (issue #22), the part both databases share: node:http, the body read,
 * the hub's own signature check (src/webhooks/signature.ts, imported), JSON.parse, the raw row the
 * hub stores for a delivery (WebhookDelivery: id made as the hub makes it, both sha256 hashes, body, signature, scheme,
 * fields, receivedAt, RECEIVED) — and then, instead of a projection, one durable transaction per
 * event-loop turn for every delivery waiting: the first arrival schedules a write with setImmediate
 * (after pending I/O, so the requests already read join it), a write in progress makes the next
 * ones wait for it, and every caller is answered after the commit. What the hub's own promise
 * (200 only once stored durably) allows at the least cost; groupCommitSqlite.ts and
 * groupCommitPostgres.ts write the rows.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { verifySignature } from "../../src/webhooks/signature.ts";
import { newRowId } from "../../src/storage/rowId.ts";

export interface RawRow {
  id: string;
  contentHash: string;
  signedHash: string;
  body: string;
  signature: string;
  signatureScheme: string;
  fields: string;
  receivedAt: Date;
}

/** Stores the rows of one turn in one committed transaction (ON CONFLICT DO NOTHING on both hashes). */
export type WriteTurn = (rows: readonly RawRow[]) => void | Promise<void>;

interface Waiting {
  row: RawRow;
  answer(ok: boolean): void;
}

/** Largest turn written at once (PostgreSQL's bind parameters: 8 per row, < 65,535). */
const MAX_TURN = 1000;

export function serveGroupCommit(write: WriteTurn, close: () => void | Promise<void>): void {
  const secrets = (process.env.WHATSAPP_APP_SECRET ?? "").split(",");
  let queue: Waiting[] = [];
  let running = false;

  const kick = () => {
    if (running || queue.length === 0) return;
    running = true;
    setImmediate(() => {
      const turn = queue.slice(0, MAX_TURN);
      queue = queue.slice(MAX_TURN);
      Promise.resolve()
        .then(() => write(turn.map((w) => w.row)))
        .then(
          () => turn.forEach((w) => w.answer(true)),
          (error: unknown) => {
            console.error(error);
            turn.forEach((w) => w.answer(false));
          },
        )
        .finally(() => {
          running = false;
          kick();
        });
    });
  };

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
      const text = body.toString("utf8");
      let fields: string;
      try {
        fields = fieldsOf(JSON.parse(text));
      } catch {
        res.writeHead(400, { "Content-Type": "application/json; charset=utf-8" });
        return void res.end('{"error":"json"}');
      }
      const row: RawRow = {
        // The hub's own id (time-ordered): a random one would scatter the id index and cost the ceiling pages the hub does not write.
        id: newRowId(),
        contentHash: createHash("sha256").update(body).digest("hex"),
        signedHash: createHash("sha256").update(check.signed).digest("hex"),
        body: text,
        signature: String(header),
        signatureScheme: check.scheme,
        fields,
        receivedAt: new Date(),
      };
      queue.push({
        row,
        answer: (ok) => {
          res.writeHead(ok ? 200 : 503, { "Content-Type": "application/json; charset=utf-8" });
          res.end(ok ? JSON.stringify({ deliveryId: row.id }) : '{"error":"storage"}');
        },
      });
      kick();
    });
  });
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
  process.on("SIGTERM", () =>
    server.close(() => {
      void Promise.resolve(close()).finally(() => process.exit(0));
    }),
  );
}

/** The webhook fields a body carries, as the hub stores them (comma-separated); nothing validated. */
function fieldsOf(parsed: unknown): string {
  const entries = (parsed as { entry?: { changes?: { field?: unknown }[] }[] } | null)?.entry ?? [];
  const fields = new Set<string>();
  for (const e of entries) for (const c of e.changes ?? []) if (typeof c.field === "string") fields.add(c.field);
  return [...fields].join(",");
}
