import type { HistoryChunkInput, HistoryDeclinedInput } from "../domain/mirrorEvents.ts";
import { historyDeclined, historyProgress } from "../domain/threadMirror.ts";
import type { Tx } from "../storage/client.ts";

export async function recordChunk(tx: Tx, chunkInput: HistoryChunkInput): Promise<void> {
  const phoneNumberId = chunkInput.business.phoneNumberId;
  const stored = await tx.historySync.findUnique({ where: { phoneNumberId } });
  const now = new Date();
  const next = historyProgress(stored, chunkInput, now);
  const data = {
    status: next.status,
    progress: next.progress,
    chunks: next.chunks,
    startedAt: next.startedAt,
    // A chunk is the sync moving again: a stall recorded before it is over (src/ingest/historySyncStalls.ts).
    stalledAt: null,
    ...(next.complete && !stored?.completedAt ? { completedAt: now } : {}),
  };
  await tx.historySync.upsert({ where: { phoneNumberId }, create: { phoneNumberId, ...data }, update: data });
}

export async function recordDeclined(tx: Tx, e: HistoryDeclinedInput): Promise<void> {
  const phoneNumberId = e.business.phoneNumberId;
  const stored = await tx.historySync.findUnique({ where: { phoneNumberId }, select: { startedAt: true } });
  const next = historyDeclined(stored, e, new Date());
  const data = { status: next.status, error: next.error, startedAt: next.startedAt };
  await tx.historySync.upsert({ where: { phoneNumberId }, create: { phoneNumberId, ...data }, update: data });
}
