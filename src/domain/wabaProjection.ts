import type { AccountEventDetails, ConnectionState, DisconnectionKind } from "./accountEvents.ts";
import type { RecommendedAction } from "./recommendedAction.ts";

// What the lifecycle fold (connectionState.ts) reads and produces; the facts it applies (wabaFacts.ts) share them.

/** What the fold needs of a stored event. */
export interface LifecycleEvent {
  id: string;
  event: string;
  occurredAt: Date;
  /** The number the event names (digits), or null: the whole WABA. */
  phoneNumber: string | null;
  details: AccountEventDetails;
}

export interface DisconnectionRecord {
  id: string;
  kind: DisconnectionKind;
  /** The number it cuts off (digits), or null when it is the whole WABA's. */
  phoneNumber: string | null;
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
  /** Each number the events name (digits) → the time of its latest event. */
  numbers: Map<string, Date>;
}
