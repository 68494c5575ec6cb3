import {
  RESOLVES,
  isDisconnectionKind,
  type AccountEventDetails,
  type ConnectionState,
  type DisconnectionKind,
} from "./accountEvents.ts";
import { recommendedAction, type RecommendedAction } from "./recommendedAction.ts";

/** What the fold needs of a stored event. */
export interface LifecycleEvent {
  id: string;
  event: string;
  occurredAt: Date;
  details: AccountEventDetails;
}

/**
 * What a commit left a disconnection as, carried by its subscription event: OPENED (open, newly or
 * again, or its details changed while open) or RESOLVED. Fixed at commit: by the time a subscriber
 * re-reads the row, another commit may have resolved it.
 */
export const DISCONNECTION_CHANGES = ["OPENED", "RESOLVED"] as const;
export type DisconnectionChange = (typeof DISCONNECTION_CHANGES)[number];

export function disconnectionChange(d: { resolvedAt: Date | null }): DisconnectionChange {
  return d.resolvedAt ? "RESOLVED" : "OPENED";
}

export interface DisconnectionRecord {
  id: string;
  kind: DisconnectionKind;
  reason: string | null;
  initiatedBy: string | null;
  occurredAt: Date;
  resolvedAt: Date | null;
  resolvedByEventId: string | null;
  recommendedAction: RecommendedAction;
}

export interface Restriction {
  restrictionType: string;
  expiration: string | null;
}

export interface PricingTier {
  tier: string | null;
  pricingCategory: string | null;
  region: string | null;
  effectiveMonth: string | null;
  /** The earliest tier_update_time among the events describing this tier change. */
  tierUpdateTime: string;
}

export interface WabaProjection {
  connectionState: ConnectionState;
  ownerBusinessId: string | null;
  banState: string | null;
  banDate: string | null;
  country: string | null;
  restrictions: Restriction[];
  violations: { violationType: string; occurredAt: string }[];
  pricingTiers: PricingTier[];
  authIntlPriceEligibility: AccountEventDetails["authIntl"] | null;
  adAccounts: string[];
  mmLiteTermsSignedAt: Date | null;
  certificationStatus: string | null;
  certificationRejectionReasons: string[];
  lastEventAt: Date | null;
  disconnections: DisconnectionRecord[];
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
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    rank(a.event) - rank(b.event) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The WABA's state and history from its events, by each event's own time. A pure function of
 * the *set* of events: any arrival order, with any duplicates removed, gives the same result.
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
  };
  const open = new Map<DisconnectionKind, DisconnectionRecord>();
  let deleted = false;
  let unansweredReconnect: LifecycleEvent | null = null;

  for (const e of sorted) {
    const d = e.details;
    p.lastEventAt = e.occurredAt;
    if (d.ownerBusinessId) p.ownerBusinessId = d.ownerBusinessId;

    if (isDisconnectionKind(e.event) && !deleted) {
      if (e.event === "ACCOUNT_DELETED") deleted = true;
      if (!open.has(e.event)) {
        const reason = d.disconnectionReason ?? null;
        const initiatedBy = d.disconnectionInitiatedBy ?? null;
        const record: DisconnectionRecord = {
          id: e.id,
          kind: e.event,
          reason,
          initiatedBy,
          occurredAt: e.occurredAt,
          resolvedAt: null,
          resolvedByEventId: null,
          recommendedAction: recommendedAction(e.event, reason, initiatedBy),
        };
        p.disconnections.push(record);
        const answer = unansweredReconnect;
        if (
          e.event === "ACCOUNT_OFFBOARDED" &&
          answer &&
          e.occurredAt.getTime() - answer.occurredAt.getTime() <= RECONNECT_SKEW_MS
        ) {
          record.resolvedAt = answer.occurredAt;
          record.resolvedByEventId = answer.id;
          unansweredReconnect = null;
        } else {
          open.set(e.event, record);
        }
      }
    }

    const resolves = RESOLVES[e.event];
    if (resolves && !deleted) {
      let answered = false;
      for (const kind of resolves) {
        const record = open.get(kind);
        if (!record) continue;
        record.resolvedAt = e.occurredAt;
        record.resolvedByEventId = e.id;
        open.delete(kind);
        answered = true;
      }
      if (e.event === "ACCOUNT_RECONNECTED" && !answered) unansweredReconnect = e;
    }

    applyFacts(p, e);
  }

  p.connectionState = deleted
    ? "DELETED"
    : open.has("PARTNER_REMOVED") || open.has("PARTNER_APP_UNINSTALLED")
      ? "DISCONNECTED"
      : open.has("ACCOUNT_OFFBOARDED")
        ? "OFFBOARDED"
        : "CONNECTED";
  return p;
}

function applyFacts(p: WabaProjection, e: LifecycleEvent): void {
  const d = e.details;
  switch (e.event) {
    case "ACCOUNT_RESTRICTION":
      // Each restriction event lists the restrictions in force; the latest list replaces the last.
      p.restrictions = (d.restrictions ?? []).map((r) => ({
        restrictionType: r.restrictionType,
        expiration: r.expiration,
      }));
      break;
    case "ACCOUNT_VIOLATION":
      p.violations.push({ violationType: d.violationType ?? "UNKNOWN", occurredAt: e.occurredAt.toISOString() });
      break;
    case "DISABLED_UPDATE":
      p.banState = d.banState ?? null;
      p.banDate = d.banDate ?? null;
      break;
    case "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE":
      p.country = d.country ?? p.country;
      break;
    case "AD_ACCOUNT_LINKED":
      if (d.adAccountId && !p.adAccounts.includes(d.adAccountId)) p.adAccounts.push(d.adAccountId);
      break;
    case "MM_LITE_TERMS_SIGNED":
      p.mmLiteTermsSignedAt ??= e.occurredAt;
      break;
    case "PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE":
      p.certificationStatus = d.certificationStatus ?? null;
      p.certificationRejectionReasons = d.certificationRejectionReasons ?? [];
      break;
    case "AUTH_INTL_PRICE_ELIGIBILITY_UPDATE":
      if (d.authIntl) p.authIntlPriceEligibility = d.authIntl;
      break;
    case "VOLUME_BASED_PRICING_TIER_UPDATE":
      if (d.pricingTier) addPricingTier(p, d.pricingTier, e.occurredAt);
      break;
  }
}

// Several events can describe one tier change; the earliest tier_update_time is canonical.
function addPricingTier(p: WabaProjection, t: NonNullable<AccountEventDetails["pricingTier"]>, occurredAt: Date): void {
  const time = t.tierUpdateTime ?? occurredAt.toISOString();
  const same = p.pricingTiers.find(
    (x) =>
      x.tier === t.tier &&
      x.pricingCategory === t.pricingCategory &&
      x.region === t.region &&
      x.effectiveMonth === t.effectiveMonth,
  );
  if (!same) {
    p.pricingTiers.push({ tier: t.tier, pricingCategory: t.pricingCategory, region: t.region, effectiveMonth: t.effectiveMonth, tierUpdateTime: time });
  } else if (time < same.tierUpdateTime) {
    same.tierUpdateTime = time;
  }
}

export const BUSINESS_INITIATED_RESTRICTION = "RESTRICTED_BIZ_INITIATED_MESSAGING";

/** Whether the Cloud API may send business-initiated messages for this WABA at `now`. */
export function canSend(
  w: { connectionState: string; banState: string | null; restrictions: readonly Restriction[] },
  now: Date,
): boolean {
  if (w.connectionState !== "CONNECTED") return false;
  if (w.banState === "DISABLE") return false;
  return !activeRestrictions(w.restrictions, now).some((r) => r.restrictionType === BUSINESS_INITIATED_RESTRICTION);
}

export function activeRestrictions(restrictions: readonly Restriction[], now: Date): Restriction[] {
  return restrictions.filter((r) => r.expiration === null || new Date(r.expiration) > now);
}
