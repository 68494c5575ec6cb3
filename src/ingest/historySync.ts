import type { HistoryChunkInput, HistoryDeclinedInput } from "../domain/mirrorEvents.ts";
import { historyDeclined, historyProgress, type StoredHistorySync } from "../domain/threadMirror.ts";
import { chunksColumn, historySyncStatusColumn } from "../storage/columns.ts";
import type { ColumnType } from "../storage/bulkInsert.ts";
import { upsertRow } from "../storage/rowUpsert.ts";
import { storedJson, toDate, type Sql } from "../storage/sql.ts";

/*
 * A history webhook's record of the sync, by plain SQL like the chunk's messages: with it a history
 * chunk projects on the driver's own transaction (projection.ts), where through Prisma's client it
 * sent the whole chunk, thousands of rows, through Prisma's transaction and its per-statement cost.
 */

export function recordChunk(sql: Sql, chunk: HistoryChunkInput): Promise<void> {
  return record(sql, chunk.business.phoneNumberId, (stored, now) => {
    const next = historyProgress(stored, chunk, now);
    return {
      status: next.status,
      progress: next.progress,
      chunks: next.chunks,
      startedAt: next.startedAt,
      // A chunk is the sync moving again: a stall recorded before it is over (src/ingest/historySyncStalls.ts).
      stalledAt: null,
      completedAt: stored?.completedAt ?? (next.complete ? now : null),
    };
  });
}

export function recordDeclined(sql: Sql, declined: HistoryDeclinedInput): Promise<void> {
  return record(sql, declined.business.phoneNumberId, (stored, now) => {
    const next = historyDeclined(stored, declined, now);
    return { status: next.status, error: next.error, startedAt: next.startedAt };
  });
}

type Stored = StoredHistorySync & { completedAt: Date | null };
type Values = Partial<Record<keyof typeof COLUMNS, unknown>>;

/** Reads the number's sync, then writes what `next` makes of it (inserting the row if there is none), as a history webhook's write. */
async function record(sql: Sql, phoneNumberId: string, next: (stored: Stored | null, now: Date) => Values): Promise<void> {
  const now = new Date();
  const values = next(await storedSync(sql, phoneNumberId), now);
  await upsertRow(sql, "HistorySync", { column: "phoneNumberId", value: phoneNumberId }, COLUMNS, { ...values, updatedAt: now });
}

async function storedSync(sql: Sql, phoneNumberId: string): Promise<Stored | null> {
  const [row] = await sql.all<{ status: string; progress: number; chunks: unknown; startedAt: unknown; completedAt: unknown }>(
    `SELECT "status", "progress", "chunks", "startedAt", "completedAt" FROM "HistorySync" WHERE "phoneNumberId" = ?`,
    [phoneNumberId],
  );
  if (!row) return null;
  return {
    status: historySyncStatusColumn.read(row.status),
    progress: Number(row.progress),
    chunks: chunksColumn.read(storedJson(sql, row.chunks)),
    startedAt: toDate(row.startedAt),
    completedAt: toDate(row.completedAt),
  };
}

const COLUMNS = {
  status: "text",
  progress: "int",
  chunks: "json",
  error: "json",
  startedAt: "timestamp",
  stalledAt: "timestamp",
  completedAt: "timestamp",
  updatedAt: "timestamp",
} as const satisfies Record<string, ColumnType>;
