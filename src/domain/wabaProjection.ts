import { z } from "zod";
import { accountEventDetailsRecord, type AccountEventDetails, type ConnectionState, type DisconnectionKind } from "./accountEvents.ts";
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

// The facts below are stored as JSON columns of Waba and read back through these records (src/storage/columns.ts).

export const restrictionRecord = z.object({ restrictionType: z.string(), expiration: z.string().nullable() });
export type Restriction = z.infer<typeof restrictionRecord>;

export const violationRecord = z.object({ violationType: z.string(), occurredAt: z.string() });
export type Violation = z.infer<typeof violationRecord>;

export const pricingTierRecord = z.object({
  tier: z.string().nullable(),
  pricingCategory: z.string().nullable(),
  region: z.string().nullable(),
  effectiveMonth: z.string().nullable(),
  /** The earliest tier_update_time among the events describing this tier change. */
  tierUpdateTime: z.string(),
});
export type PricingTier = z.infer<typeof pricingTierRecord>;

export const authIntlRecord = accountEventDetailsRecord.shape.authIntl.unwrap();
export type AuthIntlPriceEligibility = z.infer<typeof authIntlRecord>;

export interface WabaProjection {
  connectionState: ConnectionState;
  ownerBusinessId: string | null;
  banState: string | null;
  banDate: string | null;
  country: string | null;
  restrictions: Restriction[];
  violations: Violation[];
  pricingTiers: PricingTier[];
  authIntlPriceEligibility: AuthIntlPriceEligibility | null;
  adAccounts: string[];
  mmLiteTermsSignedAt: Date | null;
  certificationStatus: string | null;
  certificationRejectionReasons: string[];
  lastEventAt: Date | null;
  disconnections: DisconnectionRecord[];
  /** Each number the events name (digits) → the time of its latest event. */
  numbers: Map<string, Date>;
}
