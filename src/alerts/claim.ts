import { MAX_KEPT_TRIES, delivered, nextTryAt, type AlertTry } from "../domain/alertRetry.ts";
import type { PostedEvent } from "../domain/alertBodies.ts";
import type { AlertFormat } from "../domain/alertEvents.ts";
import type { Db } from "../storage/client.ts";
import { alertAttemptStateColumn, alertDataColumn, alertEventTypeColumn, alertFormatColumn, alertTriesColumn } from "../storage/columns.ts";

/** An attempt this instance holds the lease of, with what posting it needs. */
export interface ClaimedAttempt {
  id: string;
  tries: AlertTry[];
  giveUpAt: Date;
  event: PostedEvent;
  target: { id: string; url: string; format: AlertFormat; secret: string };
}

const due = (now: Date) => ({
  state: alertAttemptStateColumn.write("PENDING"),
  nextAttemptAt: { lte: now },
  OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: now } }],
});

/** Due attempts no one holds, oldest first (an instance that died holding one loses it when its lease ends). */
export async function dueAttempts(db: Db, now: Date, limit: number, skipTargets: readonly string[] = []) {
  return db.alertAttempt.findMany({
    where: { ...due(now), ...(skipTargets.length ? { targetId: { notIn: [...skipTargets] } } : {}) },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: limit,
    select: { id: true, targetId: true },
  });
}

/**
 * Takes the attempt's lease: a conditional update, so of two instances (or two passes) that read it
 * as due, one updates the row and the other finds it taken (count 0). Null when taken.
 */
export async function claimAttempt(db: Db, id: string, owner: string, now: Date, leaseMs: number): Promise<ClaimedAttempt | null> {
  const { count } = await db.alertAttempt.updateMany({
    where: { id, ...due(now) },
    data: { leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
  });
  if (count === 0) return null;
  const row = await db.alertAttempt.findUniqueOrThrow({ where: { id }, include: { event: true, target: true } });
  return {
    id: row.id,
    tries: alertTriesColumn.read(row.tries),
    giveUpAt: row.giveUpAt,
    event: {
      id: row.event.id,
      type: alertEventTypeColumn.read(row.event.type),
      wabaId: row.event.wabaId,
      occurredAt: row.event.occurredAt,
      data: alertDataColumn.read(row.event.data),
    },
    target: { id: row.target.id, url: row.target.url, format: alertFormatColumn.read(row.target.format), secret: row.target.secret },
  };
}

/**
 * Records a POST and decides what follows: DELIVERED on a 2xx, else PENDING until the next try
 * (backoff) or FAILED once that would fall after giveUpAt. Only while this instance holds the lease.
 */
export async function settleAttempt(db: Db, a: ClaimedAttempt, owner: string, outcome: AlertTry, retryBaseMs: number, now: Date): Promise<void> {
  // The latest MAX_KEPT_TRIES: a week of retries 10 minutes apart must not grow one row without end.
  const tries = [...a.tries, outcome].slice(-MAX_KEPT_TRIES);
  const next = delivered(outcome) ? null : nextTryAt(tries.length, retryBaseMs, now, a.giveUpAt);
  const state = delivered(outcome) ? "DELIVERED" : next ? "PENDING" : "FAILED";
  await db.alertAttempt.updateMany({
    where: { id: a.id, leaseOwner: owner },
    data: {
      state: alertAttemptStateColumn.write(state),
      tries: alertTriesColumn.write(tries),
      nextAttemptAt: next ?? now,
      leaseOwner: null,
      leaseExpiresAt: null,
    },
  });
}
