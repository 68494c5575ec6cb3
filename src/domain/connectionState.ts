import { RESOLVES, isDisconnectionKind, type DisconnectionKind } from "./accountEvents.ts";
import { recommendedAction } from "./recommendedAction.ts";
import { applyFacts } from "./wabaFacts.ts";
import type { DisconnectionRecord, LifecycleEvent, Restriction, WabaProjection } from "./wabaProjection.ts";

/**
 * What a commit left a disconnection as, carried by its subscription event: OPENED (open, newly or
 * again, or its details changed while open), RESOLVED, or STALLED (an offboarding still open past its
 * stall time, src/domain/stalls.ts). Fixed at commit: by the time a subscriber re-reads the row,
 * another commit may have resolved it.
 */
export const DISCONNECTION_CHANGES = ["OPENED", "RESOLVED", "STALLED"] as const;
export type DisconnectionChange = (typeof DISCONNECTION_CHANGES)[number];

export function disconnectionChange(d: { resolvedAt: Date | null }): DisconnectionChange {
  return d.resolvedAt ? "RESOLVED" : "OPENED";
}

/**
 * Clock skew tolerated between an ACCOUNT_RECONNECTED and the ACCOUNT_OFFBOARDED it answers.
 * Meta's own example times the reconnection one second *before* the offboarding; re-onboarding
 * takes minutes, so a reconnection this close before an offboarding can only be its answer.
 */
export const RECONNECT_SKEW_MS = 60_000;

// On equal times, disconnecting events are applied before reconnecting ones, so a
// disconnection and its answer stamped in the same second leave the WABA connected;
// everything else follows, and the event id settles any remaining tie.
function rank(event: string): number {
  if (isDisconnectionKind(event)) return 0;
  if (event in RESOLVES) return 1;
  return 2;
}

export function compareEvents(a: LifecycleEvent, b: LifecycleEvent): number {
  return a.occurredAt.getTime() - b.occurredAt.getTime() || rank(a.event) - rank(b.event) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Where a disconnection applies. Meta names a number (`phone_number`) when one coexistence number
 * is cut off — the business pressed "Disconnect" in the WhatsApp Business app — and that number
 * alone stops: the WABA and its other numbers stay connected. An event without a number is the
 * WABA's. ACCOUNT_DELETED ends the WABA whatever it names. See docs/webhook-contract.md.
 */
export function scopeOf(e: Pick<LifecycleEvent, "event" | "phoneNumber">): string | null {
  return e.event === "ACCOUNT_DELETED" ? null : e.phoneNumber;
}

/**
 * The WABA's state and history from its events, by each event's own time. A pure function of
 * the *set* of events: any arrival order, with any duplicates removed, gives the same result.
 * Disconnections are kept per scope (the WABA, or one number): an answer naming a number closes
 * that number's disconnections and the WABA's own; an answer naming none closes every scope's.
 */
export function projectWaba(events: readonly LifecycleEvent[]): WabaProjection {
  const sorted = [...events].sort(compareEvents);
  const p: WabaProjection = {
    connectionState: "CONNECTED",
    ownerBusinessId: null,
    banState: null,
    banDate: null,
    country: null,
    restrictions: [],
    violations: [],
    pricingTiers: [],
    authIntlPriceEligibility: null,
    adAccounts: [],
    mmLiteTermsSignedAt: null,
    certificationStatus: null,
    certificationRejectionReasons: [],
    lastEventAt: null,
    disconnections: [],
    numbers: new Map(),
  };
  // Open disconnections by scope and kind: `${number or ""}|${kind}`.
  const open = new Map<string, DisconnectionRecord>();
  const key = (scope: string | null, kind: DisconnectionKind) => `${scope ?? ""}|${kind}`;
  let deleted = false;
  const unansweredReconnect = new Map<string | null, LifecycleEvent>();

  for (const e of sorted) {
    const d = e.details;
    p.lastEventAt = e.occurredAt;
    if (e.phoneNumber) p.numbers.set(e.phoneNumber, e.occurredAt);
    if (d.ownerBusinessId) p.ownerBusinessId = d.ownerBusinessId;
    const scope = scopeOf(e);

    if (isDisconnectionKind(e.event) && !deleted) {
      if (e.event === "ACCOUNT_DELETED") deleted = true;
      if (!open.has(key(scope, e.event))) {
        const reason = d.disconnectionReason ?? null;
        const initiatedBy = d.disconnectionInitiatedBy ?? null;
        const record: DisconnectionRecord = {
          id: e.id,
          kind: e.event,
          phoneNumber: e.phoneNumber,
          reason,
          initiatedBy,
          occurredAt: e.occurredAt,
          resolvedAt: null,
          resolvedByEventId: null,
          recommendedAction: recommendedAction(e.event, reason, initiatedBy),
        };
        p.disconnections.push(record);
        const answer = unansweredReconnect.get(scope);
        if (e.event === "ACCOUNT_OFFBOARDED" && answer && e.occurredAt.getTime() - answer.occurredAt.getTime() <= RECONNECT_SKEW_MS) {
          record.resolvedAt = answer.occurredAt;
          record.resolvedByEventId = answer.id;
          unansweredReconnect.delete(scope);
        } else {
          open.set(key(scope, e.event), record);
        }
      }
    }

    const resolves = RESOLVES[e.event];
    if (resolves && !deleted) {
      let answered = false;
      for (const [k, record] of open) {
        if (!resolves.includes(record.kind)) continue;
        // ACCOUNT_DELETED is never answered, so a record's scope is its number.
        if (scope !== null && record.phoneNumber !== null && record.phoneNumber !== scope) continue;
        record.resolvedAt = e.occurredAt;
        record.resolvedByEventId = e.id;
        open.delete(k);
        answered = true;
      }
      if (e.event === "ACCOUNT_RECONNECTED" && !answered) unansweredReconnect.set(scope, e);
    }

    applyFacts(p, e);
  }

  const wabaWide = (kind: DisconnectionKind) => open.has(key(null, kind));
  p.connectionState = deleted
    ? "DELETED"
    : wabaWide("PARTNER_REMOVED") || wabaWide("PARTNER_APP_UNINSTALLED")
      ? "DISCONNECTED"
      : wabaWide("ACCOUNT_OFFBOARDED")
        ? "OFFBOARDED"
        : "CONNECTED";
  return p;
}

export const BUSINESS_INITIATED_RESTRICTION = "RESTRICTED_BIZ_INITIATED_MESSAGING";

/**
 * Whether the Cloud API may send from one number: its WABA may (a number whose WABA has no event
 * yet counts as connected) and none of the number's own disconnections is open.
 */
export function numberCanSend(wabaCanSend: boolean, openNumberDisconnections: number): boolean {
  return wabaCanSend && openNumberDisconnections === 0;
}

/** Whether the Cloud API may send business-initiated messages for this WABA at `now`. */
export function canSend(w: { connectionState: string; banState: string | null; restrictions: readonly Restriction[] }, now: Date): boolean {
  if (w.connectionState !== "CONNECTED") return false;
  if (w.banState === "DISABLE") return false;
  return !activeRestrictions(w.restrictions, now).some((r) => r.restrictionType === BUSINESS_INITIATED_RESTRICTION);
}

export function activeRestrictions(restrictions: readonly Restriction[], now: Date): Restriction[] {
  return restrictions.filter((r) => r.expiration === null || new Date(r.expiration) > now);
}
