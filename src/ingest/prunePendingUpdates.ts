import type { Db } from "../storage/client.ts";

export interface PendingUpdateRetention {
  /** Pending updates older than this are deleted (0: all that exist when the pruner runs). */
  maxAgeDays: number;
  /** Most rows one statement deletes. */
  batch: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes one bounded batch of the edits, revokes and statuses that have waited too long for a
 * message the hub never saw (typically statuses of messages sent through the Cloud API by another
 * app). An update goes once both its own time and its arrival are older than the limit: a status
 * replayed from an old delivery still gets the full period to meet its message.
 * Returns how many rows were deleted; a full batch means there may be more.
 */
export async function prunePendingUpdates(db: Db, retention: PendingUpdateRetention, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retention.maxAgeDays * DAY_MS);
  const expired = await db.pendingMessageUpdate.findMany({
    where: { createdAt: { lt: cutoff }, occurredAt: { lt: cutoff } },
    orderBy: { createdAt: "asc" },
    take: retention.batch,
    select: { id: true },
  });
  if (expired.length === 0) return 0;
  const { count } = await db.pendingMessageUpdate.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } });
  return count;
}
