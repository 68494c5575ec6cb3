import type { AccountEventDetails } from "./accountEvents.ts";
import type { LifecycleEvent, WabaProjection } from "./wabaProjection.ts";

/** The facts (restrictions, ban, country, tiers, ...) an event establishes, applied in event order. */
export function applyFacts(p: WabaProjection, e: LifecycleEvent): void {
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
    (x) => x.tier === t.tier && x.pricingCategory === t.pricingCategory && x.region === t.region && x.effectiveMonth === t.effectiveMonth,
  );
  if (!same) {
    p.pricingTiers.push({ tier: t.tier, pricingCategory: t.pricingCategory, region: t.region, effectiveMonth: t.effectiveMonth, tierUpdateTime: time });
  } else if (time < same.tierUpdateTime) {
    same.tierUpdateTime = time;
  }
}
