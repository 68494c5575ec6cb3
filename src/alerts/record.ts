import { randomUUID } from "node:crypto";
import { wantsEvent, type AlertFact } from "../domain/alertEvents.ts";
import type { Tx } from "../storage/client.ts";
import { alertAttemptStateColumn, alertTargetEventsColumn, alertTriesColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";

/**
 * Stores an alert event once and, in the same transaction, one PENDING attempt per target that
 * wants it. Every instance may call this for the same event (all of them hear Redis pub/sub, and
 * the periodic deadline check runs on each): `RETURNING` yields a row only to the insert that
 * happened, so the attempts are made once. Returns how many were made (0: known already, or no
 * target wants it).
 */
export async function recordAlert(storage: Storage, fact: AlertFact, retryMaxMs: number, now = new Date()): Promise<number> {
  return storage.writeTransaction(async (tx, sql) => {
    const { timestamp: ts, json } = sql.placeholder;
    const inserted = await sql.all<{ id: string }>(
      `INSERT INTO "AlertEvent" ("id", "key", "type", "wabaId", "data", "occurredAt", "createdAt") VALUES (?, ?, ?, ?, ${json}, ${ts}, ${ts})
       ON CONFLICT ("key") DO NOTHING RETURNING "id"`,
      [randomUUID(), fact.key, fact.type, fact.wabaId, JSON.stringify(fact.data), fact.occurredAt, now],
    );
    const event = inserted[0];
    if (!event) return 0;
    const targets = (await tx.alertTarget.findMany({ select: { id: true, events: true } })).filter((t) =>
      wantsEvent(alertTargetEventsColumn.read(t.events), fact.type),
    );
    for (const t of targets) await createAttempt(tx, event.id, t.id, retryMaxMs, now, null);
    return targets.length;
  });
}

/** A new PENDING attempt, due now, retried until `retryMaxMs` from now. */
export async function createAttempt(tx: Tx, eventId: string, targetId: string, retryMaxMs: number, now: Date, replayOf: string | null): Promise<string> {
  const row = await tx.alertAttempt.create({
    data: {
      eventId,
      targetId,
      replayOf,
      state: alertAttemptStateColumn.write("PENDING"),
      tries: alertTriesColumn.write([]),
      nextAttemptAt: now,
      giveUpAt: new Date(now.getTime() + retryMaxMs),
    },
    select: { id: true },
  });
  return row.id;
}
