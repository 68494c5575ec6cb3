import { errorOfTheHub } from "../domain/sendError.ts";
import { gate, holdExpired, numberGate } from "../domain/sendGate.ts";
import type { TopicEvent } from "../pubsub.ts";
import { sendErrorColumn } from "../storage/columns.ts";
import type { Storage } from "../storage/db.ts";
import { sendChanged, sendsChanged } from "./events.ts";
import { sendFactsReader } from "./factsReader.ts";
import { applyGate } from "./reserve.ts";
import type { QueueSettings } from "./settings.ts";

type Events = TopicEvent<"message">[];

/**
 * Sends left SENDING by an instance whose lease ran out (it died, or lost its database mid-call):
 * nobody can prove whether Meta has them, so they become UNKNOWN and are never posted again by themselves.
 */
export async function recoverInterrupted(storage: Storage, now = new Date()): Promise<Events> {
  // Read first, outside a write transaction: nearly always there is nothing to recover.
  const any = await storage.prisma.send.findFirst({ where: { state: "SENDING", leaseExpiresAt: { lt: now } }, select: { id: true } });
  if (!any) return [];
  return storage.writeTransaction(async (tx) => {
    const lost = await tx.send.findMany({ where: { state: "SENDING", leaseExpiresAt: { lt: now } }, select: { id: true, messageId: true, wabaId: true } });
    const events: Events = [];
    for (const s of lost) {
      await tx.send.update({
        where: { id: s.id },
        data: {
          state: "UNKNOWN",
          reason: "INTERRUPTED",
          error: sendErrorColumn.write(errorOfTheHub("the hub stopped while posting this send")),
          leaseOwner: null,
          leaseExpiresAt: null,
        },
      });
      events.push(await sendChanged(tx, s.messageId, s.wabaId));
    }
    return events;
  });
}

/**
 * Held sends: queued again once the gate opens (ACCOUNT_RECONNECTED), failed once removed or held
 * too long. The number's part of the gate is read once per number; a thread's window only when the
 * number may send again.
 */
export async function releaseHolds(storage: Storage, settings: QueueSettings, now = new Date()): Promise<{ events: Events; changed: number }> {
  const any = await storage.prisma.send.findFirst({ where: { state: "HELD" }, select: { id: true } });
  if (!any) return { events: [], changed: 0 };
  return storage.writeTransaction(async (tx, sql) => {
    // Oldest first, so sends to one user are queued again in the order they were made.
    const held = await tx.send.findMany({
      where: { state: "HELD" },
      include: { message: { select: { threadId: true } } },
      orderBy: { createdAt: "asc" },
      take: settings.batch,
    });
    const facts = sendFactsReader(tx, settings.rates);
    const events: Events = [];
    const released: typeof held = [];
    for (const s of held) {
      const number = await facts.number(s.phoneNumberId);
      const lifecycle = numberGate(await facts.numberFacts(number));
      const g =
        lifecycle.verdict === "HOLD" ? lifecycle : gate(await facts.facts(number, s.message.threadId, { isTemplate: s.template, now }), s.template, now);
      if (g.verdict === "SEND") {
        released.push(s);
        continue;
      } else if (g.verdict === "HOLD" && holdExpired(s.heldSince ?? now, settings.holdMaxMinutes, now)) {
        const error = errorOfTheHub(`held longer than SEND_HOLD_MAX_MINUTES (${settings.holdMaxMinutes})`);
        await tx.send.update({ where: { id: s.id }, data: { state: "FAILED", reason: "HOLD_EXPIRED", error: sendErrorColumn.write(error) } });
      } else if (g.verdict !== "HOLD") {
        events.push(await applyGate(tx, s, g, now));
        continue;
      } else {
        continue;
      }
      events.push(await sendChanged(tx, s.messageId, s.wabaId));
    }
    if (released.length > 0) {
      await tx.send.updateMany({
        where: { id: { in: released.map((s) => s.id) } },
        data: { state: "QUEUED", reason: null, heldSince: null, nextAttemptAt: now },
      });
      events.push(...(await sendsChanged(sql, released)));
    }
    return { events, changed: events.length };
  });
}
