/**
 * Seeds a migrated hub database (the server made the tables, then stopped) for the reads benchmark:
 * one PhoneNumber and WABA, a Contact (known by its phone number) and a Thread per user, N messages per thread written in time
 * order across all threads (as a live mirror fills up), and each Thread's lastMessageAt/Id set.
 * better-sqlite3 multi-row INSERTs, in the exact formats Prisma's SQLite adapter writes.
 * Input on stdin, one JSON line out.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { DISPLAY, PHONE_ID, WABA } from "./payloads.ts";
import { iso } from "./sqlite.ts";
import { readInput } from "./util.ts";

export interface SeedInput {
  file: string;
  threads: number;
  perThread: number;
}

export interface SeedResult {
  threads: number;
  messages: number;
  elapsedMs: number;
  fileMb: number;
  /** Some thread ids, for the message-page requests. */
  sampleThreadIds: string[];
}

const input = await readInput<SeedInput>();
const t0 = performance.now();
const db = new Database(input.file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = OFF");
// Random-UUID keys land all over the indexes: a large page cache keeps the bulk load from thrashing.
db.pragma("cache_size = -1000000");

const now = Date.UTC(2026, 10, 1);
const span = 180 * 86400 * 1000;
const created = iso(now - span);

const insertMany = (head: string, columns: number, rows: unknown[][]) => {
  const tuple = `(${Array(columns).fill("?").join(",")})`;
  const cache = new Map<number, Database.Statement>();
  for (let i = 0; i < rows.length; i += 500) {
    const part = rows.slice(i, i + 500);
    let stmt = cache.get(part.length);
    if (!stmt) cache.set(part.length, (stmt = db.prepare(`${head} VALUES ${Array(part.length).fill(tuple).join(",")}`)));
    stmt.run(part.flat());
  }
};

const threads = Array.from({ length: input.threads }, (_, t) => ({ id: randomUUID(), contactId: randomUUID(), waId: String(5511970000000 + t) }));
const last = new Map<string, { at: string; id: string }>();

db.transaction(() => {
  db.prepare(`INSERT INTO "Waba" ("wabaId", "updatedAt") VALUES (?, ?)`).run(WABA, created);
  db.prepare(`INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?)`).run(
    PHONE_ID,
    DISPLAY,
    WABA,
    created,
    created,
  );
  insertMany(
    `INSERT INTO "Contact" ("id", "phoneNumberId", "waId", "profileName", "createdAt", "updatedAt")`,
    6,
    threads.map((t, i) => [t.contactId, PHONE_ID, t.waId, `Cliente ${i} Conceição`, created, created]),
  );
  insertMany(
    `INSERT INTO "ContactIdentity" ("phoneNumberId", "identity", "contactId", "createdAt")`,
    4,
    threads.map((t) => [PHONE_ID, `wa_id:${t.waId}`, t.contactId, created]),
  );
  insertMany(
    `INSERT INTO "Thread" ("id", "phoneNumberId", "contactId", "createdAt")`,
    4,
    threads.map((t) => [t.id, PHONE_ID, t.contactId, created]),
  );
})();

// Messages in time order over all threads: message k of every thread, then k+1, ...
const head = `INSERT INTO "Message" ("id", "phoneNumberId", "wamid", "threadId", "direction", "source", "type", "text", "content", "timestamp", "status", "createdAt", "updatedAt")`;
const step = span / input.perThread;
let rows: unknown[][] = [];
const flush = db.transaction((batch: unknown[][]) => insertMany(head, 13, batch));
for (let k = 0; k < input.perThread; k++) {
  for (let t = 0; t < threads.length; t++) {
    const thread = threads[t]!;
    const at = now - span + k * step + Math.floor((t / threads.length) * step);
    const id = randomUUID();
    const wamid = `wamid.seed.${t}.${k}`;
    const outbound = k % 3 === 0;
    const body = `mensagem ${k} da conversa ${t} — ação confirmada ✓ pedido ${1000 + k}`;
    const content = JSON.stringify({
      type: "text",
      text: { body },
      from: outbound ? DISPLAY : thread.waId,
      id: wamid,
      timestamp: String(Math.floor(at / 1000)),
    });
    const stamp = iso(at);
    rows.push([
      id,
      PHONE_ID,
      wamid,
      thread.id,
      outbound ? "OUTBOUND" : "INBOUND",
      outbound ? "ECHO" : "WEBHOOK",
      "text",
      body,
      content,
      stamp,
      outbound ? "READ" : null,
      stamp,
      stamp,
    ]);
    last.set(thread.id, { at: stamp, id });
    if (rows.length >= 50_000) {
      flush(rows);
      rows = [];
    }
  }
}
if (rows.length) flush(rows);

const setLast = db.prepare(`UPDATE "Thread" SET "lastMessageAt" = ?, "lastMessageId" = ? WHERE "id" = ?`);
db.transaction(() => {
  for (const [threadId, l] of last) setLast.run(l.at, l.id, threadId);
})();
db.pragma("wal_checkpoint(TRUNCATE)");
const pageCount = db.pragma("page_count", { simple: true }) as number;
const pageSize = db.pragma("page_size", { simple: true }) as number;
db.close();

const sample: string[] = [];
for (let i = 0; i < 1000; i++) sample.push(threads[(i * 7919) % threads.length]!.id);
const out: SeedResult = {
  threads: threads.length,
  messages: threads.length * input.perThread,
  elapsedMs: performance.now() - t0,
  fileMb: Math.round((pageCount * pageSize) / 2 ** 20),
  sampleThreadIds: sample,
};
process.stdout.write(JSON.stringify(out) + "\n");
