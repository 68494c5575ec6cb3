import type { DisconnectionKind } from "./accountEvents.ts";
import { activeRestrictions, BUSINESS_INITIATED_RESTRICTION } from "./connectionState.ts";
import type { RecommendedAction } from "./recommendedAction.ts";
import type { Restriction } from "./wabaProjection.ts";

/**
 * Whether a send may go now: the number's lifecycle, the WABA's restrictions and the user's
 * service window, checked when sendMessage accepts a send and again when the queue picks it up
 * (docs/sending.md states the rules and Meta's sources).
 */

export const CUSTOMER_INITIATED_RESTRICTION = "RESTRICTED_CUSTOMER_INITIATED_MESSAGING";

/** A customer service window lasts 24 hours from the user's message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Only a message the user sent, received through a messages webhook, opens a window (not an echo, not history). */
export const WINDOW_OPENER = { direction: "INBOUND", source: "WEBHOOK" } as const;

export interface OpenDisconnection {
  kind: DisconnectionKind;
  /** null: the whole WABA; else it names this number. */
  phoneNumber: string | null;
  recommendedAction: RecommendedAction;
}

export interface SendFacts {
  /** null: a WABA the hub has no account event for (connected, as far as it knows). */
  waba: { banState: string | null; restrictions: readonly Restriction[] } | null;
  /** Open disconnections of the WABA as a whole or naming this number. */
  open: readonly OpenDisconnection[];
  /** Meta's timestamp of the latest message that opened a window (see WINDOW_OPENER), after onboarding. */
  lastOpenerAt: Date | null;
}

export type Gate =
  | { verdict: "SEND" }
  | { verdict: "HOLD"; reason: "ACCOUNT_OFFBOARDED" }
  | { verdict: "CANNOT_SEND"; reason: string; recommendedAction: RecommendedAction | null }
  | { verdict: "OUTSIDE_SERVICE_WINDOW"; windowClosedAt: Date | null };

/** Cutting off for good comes before pausing: a removed number stays removed while offboarded too. */
const FINAL_KINDS: readonly DisconnectionKind[] = ["ACCOUNT_DELETED", "PARTNER_REMOVED", "PARTNER_APP_UNINSTALLED"];

export function gate(facts: SendFacts, isTemplate: boolean, now: Date): Gate {
  const lifecycle = numberGate(facts);
  if (lifecycle.verdict !== "SEND") return lifecycle;
  const window = serviceWindow(facts.lastOpenerAt, now);
  const restrictions = activeRestrictionTypes(facts, now);
  if (!isTemplate && restrictions.includes(CUSTOMER_INITIATED_RESTRICTION)) {
    return { verdict: "CANNOT_SEND", reason: CUSTOMER_INITIATED_RESTRICTION, recommendedAction: null };
  }
  if (window.open) return { verdict: "SEND" };
  if (!isTemplate) return { verdict: "OUTSIDE_SERVICE_WINDOW", windowClosedAt: window.expiresAt };
  if (restrictions.includes(BUSINESS_INITIATED_RESTRICTION)) return { verdict: "CANNOT_SEND", reason: BUSINESS_INITIATED_RESTRICTION, recommendedAction: null };
  return { verdict: "SEND" };
}

/**
 * The part of the gate that holds for every send of a number, whoever the user and whatever the
 * message: its lifecycle (removed, uninstalled, deleted, disabled, offboarded). `PhoneNumber.sending` shows it.
 */
export function numberGate(facts: Pick<SendFacts, "waba" | "open">): Exclude<Gate, { verdict: "OUTSIDE_SERVICE_WINDOW" }> {
  for (const kind of FINAL_KINDS) {
    const d = facts.open.find((o) => o.kind === kind);
    if (d) return { verdict: "CANNOT_SEND", reason: kind, recommendedAction: d.recommendedAction };
  }
  if (facts.waba?.banState === "DISABLE") return { verdict: "CANNOT_SEND", reason: "DISABLED", recommendedAction: "STOP_SERVICE" };
  if (facts.open.some((o) => o.kind === "ACCOUNT_OFFBOARDED")) return { verdict: "HOLD", reason: "ACCOUNT_OFFBOARDED" };
  return { verdict: "SEND" };
}

/**
 * Whether the user's window can change the gate's verdict for this send: always for a reply; for a
 * template only while the WABA's business-initiated messaging is restricted. When not, the window
 * need not be read (the caller passes lastOpenerAt null).
 */
export function windowMatters(facts: Pick<SendFacts, "waba">, isTemplate: boolean, now: Date): boolean {
  return !isTemplate || activeRestrictionTypes(facts, now).includes(BUSINESS_INITIATED_RESTRICTION);
}

/** The WABA's restrictions in force now (each refuses one kind of send, see gate). */
export function activeRestrictionTypes(facts: Pick<SendFacts, "waba">, now: Date): string[] {
  return activeRestrictions(facts.waba?.restrictions ?? [], now).map((r) => r.restrictionType);
}

/** The window a user's latest opening message gives: open until 24 h after Meta's timestamp of it. */
export function serviceWindow(lastOpenerAt: Date | null, now: Date): { open: boolean; expiresAt: Date | null } {
  if (lastOpenerAt === null) return { open: false, expiresAt: null };
  const expiresAt = new Date(lastOpenerAt.getTime() + SERVICE_WINDOW_MS);
  return { open: expiresAt > now, expiresAt };
}

/** A send held since `heldSince` fails once it has waited longer than the configured hold. */
export function holdExpired(heldSince: Date, holdMaxMinutes: number, now: Date): boolean {
  return now.getTime() - heldSince.getTime() > holdMaxMinutes * 60_000;
}
