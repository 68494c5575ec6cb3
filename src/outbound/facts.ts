import { digits } from "../domain/phoneNumbers.ts";
import { currentRecommendedAction } from "../domain/recommendedAction.ts";
import { WINDOW_OPENER, windowMatters, type SendFacts } from "../domain/sendGate.ts";
import { numberRate } from "../domain/sendPace.ts";
import type { Tx } from "../storage/client.ts";
import { disconnectionKindColumn, recommendedActionColumn, restrictionsColumn } from "../storage/columns.ts";

/** A business number as a send needs it. */
export interface SendingNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string | null;
}

/** Events after which Meta's onboarding of the number is done: a window can only be opened after. */
const ONBOARDING_EVENTS = ["PARTNER_ADDED", "PARTNER_APP_INSTALLED"];

/** What the gate reads (src/domain/sendGate.ts), read from what the hub stored. */
export async function readSendFacts(db: Tx, number: SendingNumber, threadId: string | null, send?: { isTemplate: boolean; now: Date }): Promise<SendFacts> {
  // One query after the other: on a transaction they share one connection, which runs one at a time.
  const facts = await readNumberFacts(db, number);
  // A template with business-initiated messaging unrestricted goes whatever the window: not read.
  const needed = !send || windowMatters(facts, send.isTemplate, send.now);
  const opener = threadId && needed ? await findWindowOpener(db, number.wabaId, threadId) : null;
  return { ...facts, lastOpenerAt: opener?.timestamp ?? null };
}

/** The facts that hold for every send of a number: its WABA's state and the open disconnections of the WABA or naming it. */
export async function readNumberFacts(db: Tx, number: SendingNumber): Promise<Pick<SendFacts, "waba" | "open">> {
  const named = number.displayPhoneNumber ? digits(number.displayPhoneNumber) : null;
  const waba = await db.waba.findUnique({ where: { wabaId: number.wabaId }, select: { banState: true, restrictions: true } });
  const open = await db.disconnection.findMany({
    where: { wabaId: number.wabaId, resolvedAt: null, OR: [{ phoneNumber: null }, ...(named ? [{ phoneNumber: named }] : [])] },
    select: { kind: true, phoneNumber: true, recommendedAction: true, stalledAt: true, resolvedAt: true },
  });
  return {
    waba: waba && { banState: waba.banState, restrictions: restrictionsColumn.read(waba.restrictions) },
    open: open.map((d) => ({
      kind: disconnectionKindColumn.read(d.kind),
      phoneNumber: d.phoneNumber,
      recommendedAction: currentRecommendedAction(recommendedActionColumn.read(d.recommendedAction), d),
    })),
  };
}

/**
 * The thread's latest message that opened a service window (see WINDOW_OPENER), after the WABA's
 * latest onboarding when the hub saw one: the gate's `lastOpenerAt` and `Thread.serviceWindow.openedBy`.
 */
export async function findWindowOpener(db: Tx, wabaId: string, threadId: string): Promise<{ id: string; timestamp: Date } | null> {
  return findOpenerSince(db, threadId, await onboardedAt(db, wabaId));
}

/** When the WABA's latest onboarding (PARTNER_ADDED / PARTNER_APP_INSTALLED) happened, if the hub saw one. */
export async function onboardedAt(db: Tx, wabaId: string): Promise<Date | null> {
  const onboarded = await db.accountEvent.findFirst({
    where: { wabaId, event: { in: ONBOARDING_EVENTS } },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
  });
  return onboarded?.occurredAt ?? null;
}

/** The thread's latest window opener at or after `since` (any, when null). */
export function findOpenerSince(db: Tx, threadId: string, since: Date | null): Promise<{ id: string; timestamp: Date } | null> {
  return db.message.findFirst({
    where: { threadId, ...WINDOW_OPENER, ...(since ? { timestamp: { gte: since } } : {}) },
    orderBy: { timestamp: "desc" },
    select: { id: true, timestamp: true },
  });
}

/**
 * Whether a coexistence field (history, smb_app_state_sync, smb_message_echoes) ever named the
 * number: then it shares the WhatsApp Business app, and Meta allows it 20 messages per second.
 */
export async function isCoexistenceNumber(db: Tx, phoneNumberId: string): Promise<boolean> {
  return (
    (await db.message.findFirst({ where: { phoneNumberId, source: { in: ["HISTORY", "ECHO"] } }, select: { id: true } })) !== null ||
    (await db.historySync.findUnique({ where: { phoneNumberId }, select: { phoneNumberId: true } })) !== null ||
    (await db.contact.findFirst({ where: { phoneNumberId, syncedAt: { not: null } }, select: { id: true } })) !== null
  );
}

/** The rate a number sends at (messages per second): its own (setSendRate), the coexistence or the default one (src/domain/sendPace.ts). */
export async function ratePerSecondOf(db: Tx, phoneNumberId: string, rates: { ratePerSecond: number; coexistenceRatePerSecond: number }): Promise<number> {
  const number = await db.phoneNumber.findUnique({ where: { phoneNumberId }, select: { sendRatePerSecond: true } });
  const coexistence = await isCoexistenceNumber(db, phoneNumberId);
  return numberRate(coexistence, rates, number?.sendRatePerSecond ?? null);
}

/**
 * Stores a number's own rate (null: back to the default); every instance's queue reads it at its
 * next reservation. False when no such number is stored.
 */
export async function setNumberRate(db: Tx, phoneNumberId: string, ratePerSecond: number | null): Promise<boolean> {
  const { count } = await db.phoneNumber.updateMany({ where: { phoneNumberId }, data: { sendRatePerSecond: ratePerSecond } });
  return count > 0;
}
