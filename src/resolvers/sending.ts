import { activeRestrictionTypes, numberGate, serviceWindow } from "../domain/sendGate.ts";
import type { RecommendedAction } from "../domain/recommendedAction.ts";
import { WAITING_SEND_STATES } from "../domain/sendRequest.ts";
import { findWindowOpener, readNumberFacts, type SendingNumber } from "../outbound/facts.ts";
import type { Context } from "./context.ts";
import type { Selection } from "./selection.ts";

/**
 * What an inbox needs to know before an agent types, read by the same rules and from the same
 * facts as the gate that accepts and releases sends (src/domain/sendGate.ts, src/outbound/facts.ts).
 */

export interface ServiceWindowView {
  open: boolean;
  expiresAt: Date | null;
  openedById: string | null;
}

/** `Thread.serviceWindow`: the window of the thread's latest opening message (open or not). */
export async function threadServiceWindow(thread: { id: string; phoneNumber: { wabaId: string } }, ctx: Context): Promise<ServiceWindowView> {
  const opener = await findWindowOpener(ctx.db, thread.phoneNumber.wabaId, thread.id);
  const window = serviceWindow(opener?.timestamp ?? null, new Date());
  return { ...window, openedById: opener?.id ?? null };
}

/** `ServiceWindow.openedBy`. */
export function windowOpener(query: Selection<"Message">, w: ServiceWindowView, ctx: Context) {
  return w.openedById === null ? null : ctx.db.message.findUnique({ ...query, where: { id: w.openedById } });
}

export interface NumberSendingView {
  canSend: boolean;
  held: boolean;
  reason: string | null;
  recommendedAction: RecommendedAction | null;
  ratePerSecond: number;
  queued: number;
}

/** `PhoneNumber.sending`: the number's part of the gate, its active restrictions, its pace and its waiting sends. */
export async function phoneNumberSending(n: SendingNumber, ctx: Context): Promise<NumberSendingView> {
  const [facts, ratePerSecond, queued] = await Promise.all([
    readNumberFacts(ctx.db, n),
    ctx.outbound.ratePerSecond(ctx.db, n.phoneNumberId),
    ctx.db.send.count({ where: { phoneNumberId: n.phoneNumberId, state: { in: [...WAITING_SEND_STATES] } } }),
  ]);
  const g = numberGate(facts);
  const base = { ratePerSecond, queued };
  // sendMessage refuses every send with NOT_CONFIGURED then: an inbox should say so before the agent types.
  if (!ctx.outbound.configured) return { ...base, canSend: false, held: false, reason: "NOT_CONFIGURED", recommendedAction: null };
  switch (g.verdict) {
    case "CANNOT_SEND":
      return { ...base, canSend: false, held: false, reason: g.reason, recommendedAction: g.recommendedAction };
    case "HOLD":
      return {
        ...base,
        canSend: false,
        held: true,
        reason: g.reason,
        recommendedAction: facts.open.find((d) => d.kind === g.reason)?.recommendedAction ?? null,
      };
    case "SEND":
      // A restriction refuses one kind of send only (see gate): the number still sends the other.
      return { ...base, canSend: true, held: false, reason: activeRestrictionTypes(facts, new Date())[0] ?? null, recommendedAction: null };
  }
}
