import type { HistoryChunkInput, HistoryDeclinedInput } from "../domain/mirrorEvents.ts";
import { historyDeclined, historyProgress, type StoredHistorySync } from "../domain/threadMirror.ts";
import { chunksColumn } from "../storage/columns.ts";
import type { ColumnType } from "../storage/bulkInsert.ts";
import { upsertRow } from "../storage/rowUpsert.ts";
import { storedJson, toDate, type Sql } from "../storage/sql.ts";

/*
 * A history webhook's record of the sync, by plain SQL like the chunk's messages: with it a history
 * chunk projects on the driver's own transaction (projection.ts), where through Prisma's client it
 * sent the whole chunk, thousands of rows, through Prisma's transaction and its per-statement cost.
 */

export async function recordChunk(sql: Sql, chunkInput: HistoryChunkInput): Promise<void> {
  const phoneNumberId = chunkInput.business.phoneNumberId;
  const stored = await storedSync(sql, phoneNumberId);
  const now = new Date();
  const next = historyProgress(stored, chunkInput, now);
  await upsertSync(sql, phoneNumberId, {
    status: next.status,
    progress: next.progress,
    chunks: next.chunks,
    startedAt: next.startedAt,
    // A chunk is the sync moving again: a stall recorded before it is over (src/ingest/historySyncStalls.ts).
    stalledAt: null,
    completedAt: stored?.completedAt ?? (next.complete ? now : null),
    updatedAt: now,
  });
}

export async function recordDeclined(sql: Sql, e: HistoryDeclinedInput): Promise<void> {
  const phoneNumberId = e.business.phoneNumberId;
  const stored = await storedSync(sql, phoneNumberId);
  const now = new Date();
  const next = historyDeclined(stored, e, now);
  await upsertSync(sql, phoneNumberId, {
    status: next.status,
    error: next.error,
    startedAt: next.startedAt,
    updatedAt: now,
  });
}

async function storedSync(sql: Sql, phoneNumberId: string): Promise<(StoredHistorySync & { completedAt: Date | null }) | null> {
  const [row] = await sql.all<{ status: string; progress: number; chunks: unknown; startedAt: unknown; completedAt: unknown }>(
    `SELECT "status", "progress", "chunks", "startedAt", "completedAt" FROM "HistorySync" WHERE "phoneNumberId" = ?`,
    [phoneNumberId],
  );
  if (!row) return null;
  return {
    status: row.status,
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

/** Inserts the number's row with `values`, or sets exactly those columns on the stored one. */
function upsertSync(sql: Sql, phoneNumberId: string, values: Partial<Record<keyof typeof COLUMNS, unknown>>): Promise<void> {
  return upsertRow(sql, "HistorySync", { column: "phoneNumberId", value: phoneNumberId }, COLUMNS, values);
}
