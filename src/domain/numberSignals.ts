import { decodeOr } from "./accountSignals.ts";

/**
 * What the fields about one business number say, decoded for the API. Meta's strings stay stored
 * as sent; a value this version does not know reads OTHER.
 */

/** phone_number_quality_update `event`: ONBOARDING and THROUGHPUT_UPGRADE today; the older messaging-limit events before them. */
export const NUMBER_QUALITY_EVENTS = ["ONBOARDING", "THROUGHPUT_UPGRADE", "UPGRADE", "DOWNGRADE", "FLAGGED", "UNFLAGGED", "OTHER"] as const;
export type NumberQualityEvent = (typeof NUMBER_QUALITY_EVENTS)[number];
export const numberQualityEventOf = (raw: string | null | undefined) => decodeOr(NUMBER_QUALITY_EVENTS, raw);

/**
 * A messaging limit (unique users a business may start conversations with in a rolling 24 hours)
 * or throughput level, as Meta names it in phone_number_quality_update and
 * business_capability_update: a tier name, or a count in older payloads (-1: unlimited).
 */
export const MESSAGING_LIMIT_TIERS = ["TIER_NOT_SET", "TIER_50", "TIER_250", "TIER_1K", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED", "OTHER"] as const;
export type MessagingLimitTier = (typeof MESSAGING_LIMIT_TIERS)[number];

const TIER_OF_COUNT: Record<string, MessagingLimitTier> = {
  "-1": "TIER_UNLIMITED",
  "50": "TIER_50",
  "250": "TIER_250",
  "1000": "TIER_1K",
  "2000": "TIER_2K",
  "10000": "TIER_10K",
  "100000": "TIER_100K",
};

export function messagingLimitTierOf(raw: string | null | undefined): MessagingLimitTier | null {
  if (raw !== null && raw !== undefined && Object.hasOwn(TIER_OF_COUNT, raw.trim())) return TIER_OF_COUNT[raw.trim()]!;
  return decodeOr(MESSAGING_LIMIT_TIERS, raw);
}

/** phone_number_name_update `decision`. */
export const VERIFIED_NAME_DECISIONS = ["APPROVED", "DEFERRED", "PENDING", "REJECTED", "OTHER"] as const;
export type VerifiedNameDecision = (typeof VERIFIED_NAME_DECISIONS)[number];
export const verifiedNameDecisionOf = (raw: string | null | undefined) => decodeOr(VERIFIED_NAME_DECISIONS, raw);

/** security `event`: the two-step verification PIN changed, a reset requested, a reset done. */
export const SECURITY_EVENT_KINDS = ["PIN_CHANGED", "PIN_RESET_REQUEST", "PIN_REQUEST_SUCCESS", "OTHER"] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];
export const securityEventKindOf = (raw: string | null | undefined) => decodeOr(SECURITY_EVENT_KINDS, raw);
