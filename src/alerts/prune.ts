import type { Db } from "../storage/client.ts";
import { alertAttemptStateColumn } from "../storage/columns.ts";

/**
 * Forgets what is done and older than `before`: DELIVERED and FAILED attempts last changed before
 * then, and events made before then that no attempt refers to any more. A PENDING attempt is never
 * pruned (its retries are bounded by ALERT_RETRY_MAX_MINUTES anyway). Returns the counts.
 */
export async function pruneAlerts(db: Db, before: Date): Promise<{ attempts: number; events: number }> {
  const attempts = await db.alertAttempt.deleteMany({
    where: { state: { not: alertAttemptStateColumn.write("PENDING") }, updatedAt: { lt: before } },
  });
  const events = await db.alertEvent.deleteMany({ where: { createdAt: { lt: before }, attempts: { none: {} } } });
  return { attempts: attempts.count, events: events.count };
}
