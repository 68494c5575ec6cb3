import { decodeOr, latestByMetaTime, type DetailsOf } from "./accountSignals.ts";

/**
 * A user's marketing preference from user_preferences: Meta's "marketing_messages" category, stop
 * or resume. The later by Meta's time (the item's own timestamp) wins, whatever the arrival order.
 * After a stop, Meta refuses marketing templates to the user with error 131050.
 */
export const MARKETING_CATEGORY = "marketing_messages";

export const MARKETING_PREFERENCES = ["STOP", "RESUME", "OTHER"] as const;
export type MarketingPreference = (typeof MARKETING_PREFERENCES)[number];
export const marketingPreferenceOf = (raw: string | null | undefined) => decodeOr(MARKETING_PREFERENCES, raw);

type PreferenceEvent = { id: string; occurredAt: Date; details: DetailsOf<"user_preferences"> };

/** The user's current marketing preference event (of all their identities'), or null when Meta never sent one. */
export function currentMarketingPreference<E extends PreferenceEvent>(events: readonly E[]): E | null {
  return latestByMetaTime(events.filter((e) => e.details.category.trim().toLowerCase() === MARKETING_CATEGORY));
}

/** Whether the user has stopped marketing messages: their latest marketing preference is a stop. */
export function optedOutOfMarketing(e: PreferenceEvent | null): boolean {
  return e !== null && marketingPreferenceOf(e.details.value) === "STOP";
}
