import { MARKETING_PREFERENCES, marketingPreferenceOf, optedOutOfMarketing } from "../domain/marketingPreference.ts";
import { builder } from "./builder.ts";
import { contactMarketingPreference, signalDetailsOf } from "../resolvers/accountSignals.ts";

const MarketingPreferenceEnum = builder.enumType("MarketingPreference", {
  description: "STOP or RESUME (user_preferences' value); OTHER: one this version does not know.",
  values: MARKETING_PREFERENCES,
});

const preference = (e: { details: unknown }) => signalDetailsOf(e, "user_preferences");

const MarketingOptOutRef = builder.prismaObject("AccountSignal", {
  variant: "MarketingOptOut",
  description: "A user's latest marketing-messages preference (user_preferences), by Meta's time.",
  fields: (t) => ({
    optedOut: t.boolean({
      description: "The user stopped marketing messages: Meta refuses marketing templates to them (131050) until they resume.",
      resolve: (e) => optedOutOfMarketing({ ...e, details: preference(e) }),
    }),
    preference: t.field({ type: MarketingPreferenceEnum, resolve: (e) => marketingPreferenceOf(preference(e).value) ?? "OTHER" }),
    detail: t.string({ nullable: true, description: "Meta's sentence, e.g. User requested to stop marketing messages.", resolve: (e) => preference(e).detail }),
    at: t.expose("occurredAt", { type: "DateTime", description: "Meta's time of the change (the item's timestamp)." }),
  }),
});

builder.prismaObjectField("Contact", "marketingOptOut", (t) =>
  t.field({
    type: MarketingOptOutRef,
    nullable: true,
    description:
      "The user's marketing preference: the latest stop or resume Meta sent (by Meta's time) for any phone number or BSUID the " +
      "contact was known by; null when Meta never sent one.",
    select: { phoneNumberId: true, phoneNumber: { select: { wabaId: true } }, identities: { select: { identity: true } } },
    resolve: (c, _args, ctx) => contactMarketingPreference(c, ctx),
  }),
);
