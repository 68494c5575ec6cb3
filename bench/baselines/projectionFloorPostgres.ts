/**
 * The projection floor on PostgreSQL: the group-commit ceiling's turn (groupCommitPostgres.ts, same
 * connection and migrations) plus the least a message's projection writes — its Message row (the
 * hub's columns, the message object as content) and its thread's last message — in ONE transaction
 * per turn, each table by one multi-row statement as the hub writes on PostgreSQL (BEGIN, the
 * deliveries, the messages, the threads, COMMIT: five round trips where the ceiling needs one),
 * nothing validated, the senders' contacts and threads made before the clock starts. The PostgreSQL
 * counterpart of projectionFloorSqlite.ts: the hub's rate over it is what its code adds to the rows
 * it stores; its rate over the ceiling, what those rows leave (bench/ANALYSIS.md, issue #22).
 */
import { newRowId } from "../../src/storage/rowId.ts";
import { PHONE_ID, WABA } from "../lib/payloads.ts";
import { serveGroupCommit, type RawRow } from "./groupCommit.ts";
import { inboundText } from "./inboundText.ts";
import { migratedPostgres } from "./migratedPostgres.ts";

/** The senders the ingest bench cycles over (payloads.ts messageFactory: 5511988000000 + n % users). */
const USERS = Number(process.env.BENCH_USERS ?? 1000);

const client = await migratedPostgres();

// The senders' contacts and threads, made before the clock: two statements, whatever USERS is.
const now = new Date().toISOString();
const people = Array.from({ length: USERS }, (_, n) => ({ waId: String(5511988000000 + n), contactId: newRowId(), threadId: newRowId() }));
await client.query("BEGIN");
await client.query(`INSERT INTO "PhoneNumber" ("phoneNumberId", "wabaId", "createdAt", "updatedAt") VALUES ($1, $2, $3, $3)`, [PHONE_ID, WABA, now]);
await client.query(
  `INSERT INTO "Contact" ("id", "phoneNumberId", "waId", "createdAt", "updatedAt") SELECT c, $2, w, $3::timestamp(3), $3::timestamp(3) FROM unnest($1::text[], $4::text[]) AS u(c, w)`,
  [people.map((p) => p.contactId), PHONE_ID, now, people.map((p) => p.waId)],
);
await client.query(
  `INSERT INTO "Thread" ("id", "phoneNumberId", "contactId", "createdAt") SELECT t, $2, c, $3::timestamp(3) FROM unnest($1::text[], $4::text[]) AS u(t, c)`,
  [people.map((p) => p.threadId), PHONE_ID, now, people.map((p) => p.contactId)],
);
await client.query("COMMIT");
const threads = new Map(people.map((p) => [p.waId, p.threadId]));

/** `($1, $2, …), (…)`: `count` rows of `width` parameters from $1, each tuple written by `wrap`. */
function tuples(count: number, width: number, wrap: (params: string[]) => string): string {
  return Array.from({ length: count }, (_, r) => wrap(Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`))).join(", ");
}

serveGroupCommit(
  async (rows: readonly RawRow[]) => {
    const at = new Date().toISOString();
    const messages = rows.map((r) => {
      // Parsed again here (groupCommit.ts keeps only the text): a few µs the floor pays and the hub does not.
      const m = inboundText(r.body);
      const threadId = threads.get(m.from);
      if (!threadId) throw new Error(`projection floor: sender ${m.from} was not made up front`);
      return { id: newRowId(), m, threadId, timestamp: new Date(Number(m.timestamp) * 1000).toISOString() };
    });
    // Each thread's latest message of the turn (one UPDATE row per thread).
    const latest = new Map<string, (typeof messages)[number]>();
    for (const x of messages) {
      const seen = latest.get(x.threadId);
      if (!seen || seen.timestamp <= x.timestamp) latest.set(x.threadId, x);
    }
    await client.query("BEGIN");
    try {
      await client.query(
        `INSERT INTO "WebhookDelivery" ("id", "contentHash", "signedHash", "body", "signature", "signatureScheme", "fields", "receivedAt", "status", "attempts", "processedAt")
         VALUES ${tuples(rows.length, 8, (p) => `(${p.slice(0, 7).join(", ")}, ${p[7]}::timestamp(3), 'PROCESSED', 1, $${rows.length * 8 + 1}::timestamp(3))`)} ON CONFLICT DO NOTHING`,
        [...rows.flatMap((r) => [r.id, r.contentHash, r.signedHash, r.body, r.signature, r.signatureScheme, r.fields, r.receivedAt.toISOString()]), at],
      );
      await client.query(
        `INSERT INTO "Message" ("id", "phoneNumberId", "wamid", "threadId", "direction", "source", "type", "text", "content", "timestamp", "createdAt", "updatedAt")
         VALUES ${tuples(messages.length, 8, (p) => `(${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, 'INBOUND', 'WEBHOOK', ${p[4]}, ${p[5]}, ${p[6]}::jsonb, ${p[7]}::timestamp(3), $${messages.length * 8 + 1}::timestamp(3), $${messages.length * 8 + 1}::timestamp(3))`)}
         ON CONFLICT DO NOTHING`,
        [...messages.flatMap((x) => [x.id, PHONE_ID, x.m.id, x.threadId, x.m.type, x.m.text?.body ?? null, JSON.stringify(x.m), x.timestamp]), at],
      );
      const moved = [...latest.values()];
      await client.query(
        `UPDATE "Thread" AS t SET "lastMessageAt" = v.at, "lastMessageId" = v.id FROM (VALUES ${tuples(moved.length, 3, (p) => `(${p[0]}::text, ${p[1]}::text, ${p[2]}::timestamp(3))`)}) AS v(tid, id, at) WHERE t."id" = v.tid`,
        moved.flatMap((x) => [x.threadId, x.id, x.timestamp]),
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    }
  },
  () => client.end(),
);
