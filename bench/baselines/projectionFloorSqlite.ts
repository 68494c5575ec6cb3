/**
 * The projection floor on SQLite: the group-commit ceiling (groupCommitSqlite.ts, same settings,
 * same raw row) plus the least a message's projection writes in the same transaction — its Message
 * row (the hub's columns: wamid, thread, type, text, the message object as content, times) and its
 * thread's last message — by prepared single-row statements, with nothing validated and the
 * senders' contacts and threads made before the clock starts. What the hub's stored rows cost on
 * their own: the hub's sustained rate over this one is what its code adds to them; this one's over
 * the ceiling is what the data model leaves of the ceiling (bench/ANALYSIS.md, issue #22).
 */
import { newRowId } from "../../src/storage/rowId.ts";
import { iso, openLikeHub } from "../lib/sqlite.ts";
import { PHONE_ID, WABA } from "../lib/payloads.ts";
import { serveGroupCommit, type RawRow } from "./groupCommit.ts";
import { inboundText } from "./inboundText.ts";

/** The senders the ingest bench cycles over (payloads.ts messageFactory: 5511988000000 + n % users). */
const USERS = Number(process.env.BENCH_USERS ?? 1000);

const { db, close } = openLikeHub(process.env.DATABASE_FILE ?? "floor.db");

const threads = new Map<string, string>();
const now = iso(Date.now());
db.transaction(() => {
  db.prepare(`INSERT INTO "PhoneNumber" ("phoneNumberId", "wabaId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?)`).run(PHONE_ID, WABA, now, now);
  const contact = db.prepare(`INSERT INTO "Contact" ("id", "phoneNumberId", "waId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`);
  const thread = db.prepare(`INSERT INTO "Thread" ("id", "phoneNumberId", "contactId", "createdAt") VALUES (?, ?, ?, ?)`);
  for (let n = 0; n < USERS; n++) {
    const waId = String(5511988000000 + n);
    const contactId = newRowId();
    const threadId = newRowId();
    contact.run(contactId, PHONE_ID, waId, now, now);
    thread.run(threadId, PHONE_ID, contactId, now);
    threads.set(waId, threadId);
  }
})();

const delivery = db.prepare(
  `INSERT INTO "WebhookDelivery" ("id", "contentHash", "signedHash", "body", "signature", "signatureScheme", "fields", "receivedAt", "status", "attempts", "processedAt")
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PROCESSED', 1, ?) ON CONFLICT DO NOTHING`,
);
const message = db.prepare(
  `INSERT INTO "Message" ("id", "phoneNumberId", "wamid", "threadId", "direction", "source", "type", "text", "content", "timestamp", "createdAt", "updatedAt")
   VALUES (?, ?, ?, ?, 'INBOUND', 'CLOUD_API', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
);
const lastMessage = db.prepare(`UPDATE "Thread" SET "lastMessageAt" = ?, "lastMessageId" = ? WHERE "id" = ?`);

const turn = db.transaction((rows: readonly RawRow[]) => {
  const at = iso(Date.now());
  for (const r of rows) {
    delivery.run(r.id, r.contentHash, r.signedHash, r.body, r.signature, r.signatureScheme, r.fields, iso(r.receivedAt), at);
    // Parsed again here (groupCommit.ts keeps only the text): a few µs the floor pays and the hub does not.
    const m = inboundText(r.body);
    const threadId = threads.get(m.from);
    if (!threadId) throw new Error(`projection floor: sender ${m.from} was not made up front`);
    const id = newRowId();
    const timestamp = iso(Number(m.timestamp) * 1000);
    message.run(id, PHONE_ID, m.id, threadId, m.type, m.text?.body ?? null, JSON.stringify(m), timestamp, at, at);
    lastMessage.run(timestamp, id, threadId);
  }
});

serveGroupCommit((rows) => turn(rows), close);
