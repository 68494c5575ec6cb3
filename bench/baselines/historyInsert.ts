/**
 * History-import baseline: the same chunks, in the same order, written straight into tables of the
 * same shape (the app's own SQLite migration) with better-sqlite3: per chunk one transaction with
 * multi-row INSERTs for contacts, threads and messages, the threads' last message and the
 * HistorySync row. The rows are prepared before the clock starts, so this is the cost of the
 * INSERTs themselves. Input on stdin, one JSON line out.
 */
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import Database from "better-sqlite3";
import { buildHistory, type HistoryOptions } from "../lib/historyData.ts";
import { DISPLAY, PHONE_ID, WABA } from "../lib/payloads.ts";
import { iso, migrate } from "../lib/sqlite.ts";
import { peakRssMb, readInput } from "../lib/util.ts";

export interface HistoryBaselineInput {
  file: string;
  history: HistoryOptions;
}

export interface HistoryBaselineResult {
  messages: number;
  elapsedMs: number;
  stored: number;
  peakRssMb: number | null;
}

const input = await readInput<HistoryBaselineInput>();
for (const suffix of ["", "-wal", "-shm"]) rmSync(input.file + suffix, { force: true });
const db = new Database(input.file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL"); // as the hub: every commit fsync'd
migrate(db);

// Rows first, outside the timing.
const data = buildHistory(input.history);
const threadIds = new Map<string, { threadId: string; contactId: string }>();
const now = iso(new Date());
type Row = (string | null)[];
const chunks = data.chunks.map((payload, i) => {
  const value = payload.entry[0]!.changes[0]!.value as unknown as {
    history: { metadata: { phase: number; chunk_order: number; progress: number }; threads: { id: string; messages: Record<string, any>[] }[] }[];
  };
  const h = value.history[0]!;
  const contacts: Row[] = [];
  const identities: Row[] = [];
  const threads: Row[] = [];
  const messages: Row[] = [];
  const last: { threadId: string; at: string; id: string }[] = [];
  for (const t of h.threads) {
    // A user is a contact (with the identifier it is known by) and its one thread, as the hub stores them.
    let ids = threadIds.get(t.id);
    if (!ids) {
      ids = { threadId: randomUUID(), contactId: randomUUID() };
      threadIds.set(t.id, ids);
    }
    const { threadId, contactId } = ids;
    contacts.push([contactId, PHONE_ID, t.id, now, now]);
    identities.push([PHONE_ID, `wa_id:${t.id}`, contactId, now]);
    threads.push([threadId, PHONE_ID, contactId, now]);
    let newest: { at: string; id: string } | null = null;
    for (const m of t.messages) {
      const id = randomUUID();
      const at = iso(new Date(Number(m.timestamp) * 1000));
      const outbound = m.from === DISPLAY;
      messages.push([
        id,
        PHONE_ID,
        m.id,
        threadId,
        outbound ? "OUTBOUND" : "INBOUND",
        "HISTORY",
        m.type,
        m.text?.body ?? null,
        JSON.stringify(m),
        at,
        String(m.history_context?.status ?? "").toUpperCase() || null,
        now,
        now,
      ]);
      if (!newest || at > newest.at) newest = { at, id };
    }
    if (newest) last.push({ threadId, ...newest });
  }
  return { contacts, identities, threads, messages, last, meta: h.metadata, size: data.sizes[i]! };
});

const statements = new Map<string, Database.Statement>();
function multiInsert(sqlHead: string, columns: number, rows: Row[], tail = ""): void {
  const key = `${sqlHead}|${rows.length}`;
  let stmt = statements.get(key);
  if (!stmt) {
    const tuple = `(${Array(columns).fill("?").join(",")})`;
    stmt = db.prepare(`${sqlHead} VALUES ${Array(rows.length).fill(tuple).join(",")} ${tail}`);
    statements.set(key, stmt);
  }
  stmt.run(rows.flat());
}
const BATCH = 500;
const upsertPhone = db.prepare(
  `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("phoneNumberId") DO UPDATE SET "updatedAt" = excluded."updatedAt"`,
);
const setLast = db.prepare(`UPDATE "Thread" SET "lastMessageAt" = ?, "lastMessageId" = ? WHERE "id" = ? AND ("lastMessageAt" IS NULL OR "lastMessageAt" < ?)`);
const getSync = db.prepare(`SELECT "progress", "chunks" FROM "HistorySync" WHERE "phoneNumberId" = ?`);
const upsertSync = db.prepare(
  `INSERT INTO "HistorySync" ("phoneNumberId", "status", "progress", "chunks", "startedAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)
   ON CONFLICT ("phoneNumberId") DO UPDATE SET "status" = excluded."status", "progress" = excluded."progress", "chunks" = excluded."chunks", "updatedAt" = excluded."updatedAt"`,
);

const writeChunk = db.transaction((c: (typeof chunks)[number]) => {
  const stamp = iso(new Date());
  upsertPhone.run(PHONE_ID, DISPLAY, WABA, stamp, stamp);
  multiInsert(`INSERT INTO "Contact" ("id", "phoneNumberId", "waId", "createdAt", "updatedAt")`, 5, c.contacts, "ON CONFLICT DO NOTHING");
  multiInsert(`INSERT INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId", "createdAt")`, 4, c.identities, "ON CONFLICT DO NOTHING");
  multiInsert(`INSERT INTO "Thread" ("id", "phoneNumberId", "contactId", "createdAt")`, 4, c.threads, "ON CONFLICT DO NOTHING");
  for (let i = 0; i < c.messages.length; i += BATCH) {
    multiInsert(
      `INSERT INTO "Message" ("id", "phoneNumberId", "wamid", "threadId", "direction", "source", "type", "text", "content", "timestamp", "status", "createdAt", "updatedAt")`,
      13,
      c.messages.slice(i, i + BATCH),
    );
  }
  for (const l of c.last) setLast.run(l.at, l.id, l.threadId, l.at);
  const stored = getSync.get(PHONE_ID) as { progress: number; chunks: string } | undefined;
  const list = stored ? (JSON.parse(stored.chunks) as unknown[]) : [];
  list.push({ phase: c.meta.phase, chunkOrder: c.meta.chunk_order, progress: c.meta.progress, messages: c.size });
  const progress = Math.max(stored?.progress ?? 0, c.meta.progress);
  upsertSync.run(PHONE_ID, progress >= 100 ? "COMPLETE" : "IN_PROGRESS", progress, JSON.stringify(list), stamp, stamp);
});

const t0 = performance.now();
for (const c of chunks) writeChunk(c);
const elapsedMs = performance.now() - t0;
const stored = (db.prepare(`SELECT COUNT(*) AS n FROM "Message"`).get() as { n: number }).n;
db.close();
for (const suffix of ["", "-wal", "-shm"]) rmSync(input.file + suffix, { force: true });
const out: HistoryBaselineResult = { messages: data.messages.length, elapsedMs, stored, peakRssMb: peakRssMb(process.pid) };
process.stdout.write(JSON.stringify(out) + "\n");
