import { gate, type Gate } from "../domain/sendGate.ts";
import { advance, earliestSlot } from "../domain/sendPace.ts";
import { errorOfTheHub } from "../domain/sendError.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { sendErrorColumn, sendRequestColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { sendFactsReader } from "./factsReader.ts";
import { sendChanged } from "./events.ts";
import type { QueueSettings } from "./settings.ts";

/** A send this instance holds the lease of, to be posted at `slot`. */
export interface Reserved {
  id: string;
  messageId: string;
  phoneNumberId: string;
  wabaId: string;
  request: Record<string, unknown>;
  /** The pair limit's key (src/outbound/storeSend.ts recipientKey): posts to one user go one at a time, in order. */
  recipient: string;
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
    const facts = sendFactsReader(tx, settings.rates);
    const open: typeof sends = [];
    for (const s of sends) {
      const g = gate(await facts.facts(await facts.number(s.phoneNumberId), s.message.threadId, { isTemplate: s.template, now }), s.template, now);
      if (g.verdict === "SEND") open.push(s);
      else result.events.push(await applyGate(tx, s, g, now));
    }
    if (open.length === 0) return result;

    const keys = open.flatMap((s) => [paceKey(s.phoneNumberId), pairKey(s.phoneNumberId, s.recipient)]);
    await lockKeys(sql, keys);
    const tats = new Map((await tx.sendPace.findMany({ where: { key: { in: keys } } })).map((p) => [p.key, p.tat] as const));
    const changed = new Set<string>();
    const later: { id: string; at: Date }[] = [];
    /** Per number, its sends found past the horizon so far in this pass. */
    const behind = new Map<string, number>();
    for (const s of open) {
      const limit = await facts.limit(s.phoneNumberId);
      const [pk, qk] = [paceKey(s.phoneNumberId), pairKey(s.phoneNumberId, s.recipient)];
      const numberSlot = earliestSlot(tats.get(pk) ?? null, limit, now).getTime();
      const pairSlot = earliestSlot(tats.get(qk) ?? null, settings.pair, now).getTime();
      const slot = new Date(Math.max(numberSlot, pairSlot));
      if (slot > horizon) {
        // Its next look: a lower bound, since paces only move forward and the number's sends found
        // before it here go first, each a spacing later (one of them failing its gate meanwhile only
        // delays this one by a spacing). Not all at the same moment, which had every pass re-read
        // and re-write a whole backlog (a 20/s number's 10,000 queued sends) to move it by one slot.
        const k = behind.get(s.phoneNumberId) ?? 0;
        behind.set(s.phoneNumberId, k + 1);
        later.push({ id: s.id, at: new Date(Math.max(numberSlot + k * limit.intervalMs, pairSlot)) });
        continue;
      }
      tats.set(pk, advance(tats.get(pk) ?? null, limit, slot));
      tats.set(qk, advance(tats.get(qk) ?? null, settings.pair, slot));
      changed.add(pk).add(qk);
      result.reserved.push({
        id: s.id,
        messageId: s.messageId,
        phoneNumberId: s.phoneNumberId,
        wabaId: s.wabaId,
        recipient: s.recipient,
        request: sendRequestColumn.read(s.request),
        attempts: s.attempts,
        slot,
        spacingMs: limit.intervalMs,
      });
    }
    await setNextAttempts(sql, later, null, now);
    await setNextAttempts(
      sql,
      result.reserved.map((r) => ({ id: r.id, at: r.slot })),
      { owner, leaseMs: settings.leaseMs },
      now,
    );
    await storePaces(
      sql,
      [...changed].map((key) => ({ key, tat: tats.get(key)! })),
    );
    return result;
  });
}

/** Stores paces' TATs (SendPace rows), one statement. */
export async function storePaces(sql: Sql, paces: readonly { key: string; tat: Date }[]): Promise<void> {
  if (paces.length === 0) return;
  const rows = paces.map(() => `(?, ${sql.placeholder.timestamp})`).join(", ");
  await sql.run(
    `INSERT INTO "SendPace" ("key", "tat") VALUES ${rows} ON CONFLICT ("key") DO UPDATE SET "tat" = excluded."tat"`,
    paces.flatMap((p) => [p.key, p.tat]),
  );
}

/**
 * Each send's next attempt (and, when reserved, its lease until then plus leaseMs) in one
 * statement per chunk, instead of one Prisma update per send.
 */
async function setNextAttempts(sql: Sql, rows: readonly { id: string; at: Date }[], lease: { owner: string; leaseMs: number } | null, now: Date) {
  const ts = sql.placeholder.timestamp;
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200);
    const cases = part.map(() => `WHEN ? THEN ${ts}`).join(" ");
    const leaseSet = lease ? `, "leaseOwner" = ?, "leaseExpiresAt" = CASE "id" ${cases} END` : "";
    await sql.run(`UPDATE "Send" SET "nextAttemptAt" = CASE "id" ${cases} END${leaseSet}, "updatedAt" = ${ts} WHERE "id" IN (${placeholders(part.length)})`, [
      ...part.flatMap((r) => [r.id, r.at]),
      ...(lease ? [lease.owner, ...part.flatMap((r) => [r.id, new Date(r.at.getTime() + lease.leaseMs)])] : []),
      now,
      ...part.map((r) => r.id),
    ]);
  }
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
