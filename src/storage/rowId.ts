import { randomFillSync } from "node:crypto";

/**
 * A new row id for the tables the ingest writes most (WebhookDelivery, Message): a UUID version 7
 * (RFC 9562 §5.7) — the creation time in milliseconds in its first 48 bits, then random bits.
 *
 * Why not `randomUUID()` (version 4): every id lands on a random leaf of its table's primary-key
 * index, so a commit of 50 deliveries dirtied ~50 scattered index pages per random key, each written
 * to SQLite's WAL and fsync'd (or to PostgreSQL's) before Meta is answered. Ids that grow with time
 * land on the last few pages instead, and so does everything indexed on them (Thread.lastMessageId).
 * Measured (issue #22, bench/ANALYSIS.md): a known user's message went from 8.7 to 6.7 pages written
 * to the WAL per delivery in batches of 30. Ids stay opaque text of the same shape; nothing orders by
 * them but as a tie-break, and ids made by two instances in one millisecond interleave harmlessly
 * (the random part keeps them unique).
 */
export function newRowId(): string {
  const b = entropy(10);
  const ms = Date.now();
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  // 48-bit time: the high 16 bits and the low 32 bits (a double holds it exactly).
  const time = hex(Math.floor(ms / 2 ** 32), 4) + hex((ms % 2 ** 32) >>> 0, 8);
  const rand = HEX[b[0]! & 0x0f]! + hex(b[1]!, 2) + "-" + HEX[0x8 | (b[2]! & 0x03)]! + HEX[b[2]! >> 4]! + hex(b[3]!, 2);
  let tail = "";
  for (let i = 4; i < 10; i++) tail += hex(b[i]!, 2);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand}-${tail}`;
}

const HEX = "0123456789abcdef";

/** Random bytes from a pool refilled 4 KB at a time (one system call, not one per id). */
const pool = Buffer.alloc(4096);
let used = pool.length;
function entropy(n: number): Buffer {
  if (used + n > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}
