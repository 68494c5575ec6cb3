import { deadlineAlert, type AlertFact } from "../domain/alertEvents.ts";
import { ONBOARDING_EVENTS, SYNC_WINDOW_MS, deadlineApproaching } from "../domain/syncDeadline.ts";
import { readSyncState } from "../outbound/syncState.ts";
import type { Db } from "../storage/client.ts";

/**
 * The numbers whose 24-hour sync deadline is less than `leadMs` away with a sync not requested.
 * Only numbers that can still be in their window are read: first seen, or their WABA onboarded,
 * within the last 24 hours.
 */
export async function approachingDeadlines(db: Db, now: Date, leadMs: number): Promise<AlertFact[]> {
  const since = new Date(now.getTime() - SYNC_WINDOW_MS);
  const onboarded = await db.accountEvent.findMany({
    where: { event: { in: [...ONBOARDING_EVENTS] }, occurredAt: { gte: since } },
    select: { wabaId: true },
    distinct: ["wabaId"],
  });
  const numbers = await db.phoneNumber.findMany({
    where: { OR: [{ createdAt: { gte: since } }, { wabaId: { in: onboarded.map((o) => o.wabaId) } }] },
    select: { phoneNumberId: true, wabaId: true, displayPhoneNumber: true, createdAt: true },
  });
  const facts: AlertFact[] = [];
  for (const n of numbers) {
    const state = await readSyncState(db, n, undefined, now);
    const missing = deadlineApproaching(state.onboardedAt, state.attempts, now, leadMs);
    if (missing) facts.push(deadlineAlert(n, state.onboardedAt, state.deadlineAt, missing, now));
  }
  return facts;
}
