import type { Restriction, PricingTier, WabaProjection } from "../domain/wabaProjection.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";

/** Object types for the facts kept beside a WABA's connection state (JSON columns in storage). */

export const RestrictionRef = builder.objectRef<Restriction>("Restriction").implement({
  fields: (t) => ({
    restrictionType: t.exposeString("restrictionType", { description: "e.g. RESTRICTED_BIZ_INITIATED_MESSAGING" }),
    expiration: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (r) => (r.expiration ? new Date(r.expiration) : null),
    }),
    active: t.boolean({
      description: "Not yet expired (a restriction without expiration stays active).",
      resolve: (r) => r.expiration === null || new Date(r.expiration) > new Date(),
    }),
  }),
});

export const PricingTierRef = builder.objectRef<PricingTier>("PricingTier").implement({
  fields: (t) => ({
    tier: t.exposeString("tier", { nullable: true }),
    pricingCategory: t.exposeString("pricingCategory", { nullable: true }),
    region: t.exposeString("region", { nullable: true }),
    effectiveMonth: t.exposeString("effectiveMonth", { nullable: true }),
    tierUpdateTime: t.field({
      type: "DateTime",
      description: "The earliest tier_update_time among the events describing this tier change.",
      resolve: (p) => new Date(p.tierUpdateTime),
    }),
  }),
});

type AuthIntl = NonNullable<WabaProjection["authIntlPriceEligibility"]>;

const ExceptionCountryRef = builder.objectRef<AuthIntl["exceptionCountries"][number]>("AuthIntlExceptionCountry").implement({
  fields: (t) => ({
    countryCode: t.exposeString("countryCode"),
    startTime: t.field({ type: "DateTime", nullable: true, resolve: (c) => (c.startTime ? new Date(c.startTime) : null) }),
  }),
});

export const AuthIntlRef = builder.objectRef<AuthIntl>("AuthIntlPriceEligibility").implement({
  fields: (t) => ({
    startTime: t.field({ type: "DateTime", nullable: true, resolve: (a) => (a.startTime ? new Date(a.startTime) : null) }),
    exceptionCountries: t.field({
      type: [ExceptionCountryRef],
      ...capped(LIST_CAPS.countries),
      resolve: (a) => firstOf(LIST_CAPS.countries, a.exceptionCountries),
    }),
  }),
});

export const ViolationRef = builder.objectRef<WabaProjection["violations"][number]>("Violation").implement({
  fields: (t) => ({
    violationType: t.exposeString("violationType"),
    occurredAt: t.field({ type: "DateTime", resolve: (v) => new Date(v.occurredAt) }),
  }),
});
