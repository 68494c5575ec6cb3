import type { Storage } from "../storage/db.ts";
import { createAttempt } from "./record.ts";

export class AlertNotFound extends Error {
  constructor(id: string) {
    super(`no alert attempt or event ${id} (see hub alerts attempts)`);
    this.name = "AlertNotFound";
  }
}

/**
 * Posts an alert again: a new PENDING attempt (the old one stays as it ended, in the record), due
 * now, with retries counted afresh. `id` names an attempt (its event, to its target) or an event
 * (to every target it was attempted to). Returns the new attempts' ids.
 */
export async function replayAlert(storage: Storage, id: string, retryMaxMs: number, now = new Date()): Promise<string[]> {
  return storage.writeTransaction(async (tx) => {
    const attempt = await tx.alertAttempt.findUnique({ where: { id }, select: { id: true, eventId: true, targetId: true } });
    const sources = attempt
      ? [attempt]
      : await tx.alertAttempt.findMany({ where: { eventId: id, replayOf: null }, select: { id: true, eventId: true, targetId: true } });
    if (sources.length === 0) throw new AlertNotFound(id);
    const made: string[] = [];
    for (const s of sources) made.push(await createAttempt(tx, s.eventId, s.targetId, retryMaxMs, now, s.id));
    return made;
  });
}
