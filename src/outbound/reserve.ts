import { gate, type Gate } from "../domain/sendGate.ts";
import { advance, earliestSlot, perSecond } from "../domain/sendPace.ts";
import { errorOfTheHub } from "../domain/sendError.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { sendErrorColumn, sendRequestColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import { ratePerSecondOf, readSendFacts } from "./facts.ts";
import { sendChanged } from "./events.ts";
import type { QueueSettings } from "./settings.ts";

/** A send this instance holds the lease of, to be posted at `slot`. */
export interface Reserved {
  id: string;
  messageId: string;
  phoneNumberId: string;
  wabaId: string;
  request: Record<string, unknown>;
  attempts: number;
  slot: Date;
  /** The number's spacing: the worker keeps its own posts this far apart too (see worker.ts). */
  spacingMs: number;
}

export interface Reservation {
  reserved: Reserved[];
  /** Sends whose state the gate changed (held or failed), to publish after the commit. */
  events: TopicEvent<"message">[];
}

const paceKey = (phoneNumberId: string) => `pace:${phoneNumberId}`;
const pairKey = (phoneNumberId: string, recipient: string) => `pair:${phoneNumberId}:${recipient}`;

/**
 * One pass of the queue: picks due sends no one holds (rows locked and skipped by other
 * instances on PostgreSQL), checks each one's gate again, and takes a slot in its number's pace
 * and its pair's pace (under advisory locks, so every instance shares them). A send whose slot is
 * further than the horizon stays queued with that slot as its next attempt.
 */
export async function reserve(storage: Storage, owner: string, settings: QueueSettings, now = new Date()): Promise<Reservation> {
  return storage.writeTransaction(async (tx, sql) => {
    const ts = sql.placeholder.timestamp;
    const horizon = new Date(now.getTime() + settings.horizonMs);
    const due = await sql.all<{ id: string }>(
      `SELECT "id" FROM "Send" WHERE "state" = 'QUEUED' AND "nextAttemptAt" <= ${ts} AND ("leaseExpiresAt" IS NULL OR "leaseExpiresAt" < ${ts})
       ORDER BY "nextAttemptAt", "createdAt" LIMIT ? ${sql.skipLocked}`,
      [horizon, now, settings.batch],
    );
    const result: Reservation = { reserved: [], events: [] };
    if (due.length === 0) return result;
    const sends = await tx.send.findMany({
      where: { id: { in: due.map((d) => d.id) } },
      include: { message: { select: { threadId: true } } },
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    });
    const gates = new Map<string, Gate>();
    const open: typeof sends = [];
    for (const s of sends) {
      const key = `${s.phoneNumberId}\u0000${s.message.threadId}\u0000${s.template}`;
      let g = gates.get(key);
      if (!g) {
        const number = await tx.phoneNumber.findUniqueOrThrow({ where: { phoneNumberId: s.phoneNumberId } });
        g = gate(await readSendFacts(tx, number, s.message.threadId), s.template, now);
        gates.set(key, g);
      }
      if (g.verdict === "SEND") open.push(s);
      else result.events.push(await applyGate(tx, s, g, now));
    }
    if (open.length === 0) return result;

    const keys = open.flatMap((s) => [paceKey(s.phoneNumberId), pairKey(s.phoneNumberId, s.recipient)]);
    await lockKeys(sql, keys);
    const tats = new Map((await tx.sendPace.findMany({ where: { key: { in: keys } } })).map((p) => [p.key, p.tat] as const));
    const limits = new Map<string, ReturnType<typeof perSecond>>();
    const changed = new Set<string>();
    for (const s of open) {
      let limit = limits.get(s.phoneNumberId);
      if (!limit) {
        limit = perSecond(await ratePerSecondOf(tx, s.phoneNumberId, settings.rates));
        limits.set(s.phoneNumberId, limit);
      }
      const [pk, qk] = [paceKey(s.phoneNumberId), pairKey(s.phoneNumberId, s.recipient)];
      const slot = new Date(
        Math.max(earliestSlot(tats.get(pk) ?? null, limit, now).getTime(), earliestSlot(tats.get(qk) ?? null, settings.pair, now).getTime()),
      );
      if (slot > horizon) {
        // A lower bound: paces only move forward, so nothing is lost by not looking before then.
        await tx.send.update({ where: { id: s.id }, data: { nextAttemptAt: slot } });
        continue;
      }
      tats.set(pk, advance(tats.get(pk) ?? null, limit, slot));
      tats.set(qk, advance(tats.get(qk) ?? null, settings.pair, slot));
      changed.add(pk).add(qk);
      await tx.send.update({
        where: { id: s.id },
        data: { leaseOwner: owner, leaseExpiresAt: new Date(slot.getTime() + settings.leaseMs), nextAttemptAt: slot },
      });
      result.reserved.push({
        id: s.id,
        messageId: s.messageId,
        phoneNumberId: s.phoneNumberId,
        wabaId: s.wabaId,
        request: sendRequestColumn.read(s.request),
        attempts: s.attempts,
        slot,
        spacingMs: limit.intervalMs,
      });
    }
    for (const key of changed) {
      const tat = tats.get(key)!;
      await tx.sendPace.upsert({ where: { key }, create: { key, tat }, update: { tat } });
    }
    return result;
  });
}

/** Applies a gate that said no to a queued or held send: held while offboarded, failed otherwise. */
export async function applyGate(
  tx: Tx,
  s: { id: string; messageId: string; wabaId: string; heldSince: Date | null },
  g: Exclude<Gate, { verdict: "SEND" }>,
  now: Date,
) {
  if (g.verdict === "HOLD") {
    await tx.send.update({
      where: { id: s.id },
      data: { state: "HELD", reason: g.reason, heldSince: s.heldSince ?? now, leaseOwner: null, leaseExpiresAt: null },
    });
  } else {
    const reason = g.verdict === "CANNOT_SEND" ? g.reason : "OUTSIDE_SERVICE_WINDOW";
    const error = errorOfTheHub(
      g.verdict === "CANNOT_SEND" ? `cannot send: ${g.reason} (${g.recommendedAction ?? "no action"})` : "the service window closed before the send went out",
    );
    await tx.send.update({
      where: { id: s.id },
      data: { state: "FAILED", reason, error: sendErrorColumn.write(error), leaseOwner: null, leaseExpiresAt: null },
    });
  }
  return sendChanged(tx, s.messageId, s.wabaId);
}
