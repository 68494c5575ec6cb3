import { createHash } from "node:crypto";
import { z } from "zod";
import type { AccountEventInput } from "../../domain/accountEvents.ts";
import { digits } from "../../domain/phoneNumbers.ts";
import { metaId, unixSeconds, type WebhookChange } from "../envelope.ts";
import { FieldParseError, canonicalJson, parseWith } from "./parse.ts";

const optionalString = z.string().optional();

// Every nested object is optional and loose: Meta sends only the one that fits the event and
// adds keys over time. Types are checked where present, so a wrong type is a clear failure.
const accountUpdateValue = z.looseObject({
  event: z.string().min(1, "event must not be empty"),
  phone_number: z.union([z.string(), z.number()]).optional(),
  country: optionalString,
  waba_info: z
    .looseObject({
      waba_id: metaId.optional(),
      owner_business_id: metaId.optional(),
      partner_app_id: metaId.optional(),
      ad_account_linked: metaId.optional(),
      solution_id: metaId.optional(),
      solution_partner_business_ids: z.array(metaId).optional(),
    })
    .optional(),
  disconnection_info: z.looseObject({ reason: optionalString, initiated_by: optionalString }).optional(),
  restriction_info: z.array(z.looseObject({ restriction_type: z.string(), expiration: unixSeconds.optional() })).optional(),
  violation_info: z.looseObject({ violation_type: z.string() }).optional(),
  ban_info: z.looseObject({ waba_ban_state: z.string(), waba_ban_date: optionalString }).optional(),
  auth_international_rate_eligibility: z
    .looseObject({
      start_time: unixSeconds.optional(),
      exception_countries: z.array(z.looseObject({ country_code: z.string(), start_time: unixSeconds.optional() })).optional(),
    })
    .optional(),
  volume_tier_info: z
    .looseObject({
      tier: optionalString,
      pricing_category: optionalString,
      region: optionalString,
      effective_month: optionalString,
      tier_update_time: unixSeconds.optional(),
    })
    .optional(),
  partner_client_certification_info: z
    .looseObject({
      client_business_id: metaId.optional(),
      status: z.string(),
      rejection_reasons: z.array(z.string()).optional(),
    })
    .optional(),
});

/**
 * One account_update change → one domain event. The WABA is `waba_info.waba_id` when present:
 * for partner events the entry id is the partner's own business, not the customer's WABA.
 */
export function parseAccountUpdate(change: WebhookChange, receivedAt: Date): AccountEventInput[] {
  const value = parseWith(accountUpdateValue, change);
  if (!value.event.trim()) throw new FieldParseError(change, "event must not be empty");
  const wabaId = value.waba_info?.waba_id ?? change.entryId;
  const raw = change.value as Record<string, unknown>;
  const id = createHash("sha256")
    .update(`${wabaId}\n${change.entryTime?.getTime() ?? ""}\n${canonicalJson(raw)}`)
    .digest("hex");
  const phoneNumber = value.phone_number === undefined ? null : digits(String(value.phone_number));
  if (phoneNumber === "") throw new FieldParseError(change, `phone_number must contain digits, got ${JSON.stringify(value.phone_number)}`);
  const tier = value.volume_tier_info;
  const auth = value.auth_international_rate_eligibility;
  const cert = value.partner_client_certification_info;
  return [
    {
      id,
      wabaId,
      entryId: change.entryId,
      event: value.event,
      // Without an entry time (some of Meta's examples have none) the arrival time is all there is.
      occurredAt: change.entryTime ?? receivedAt,
      phoneNumber,
      raw,
      details: {
        ownerBusinessId: value.waba_info?.owner_business_id,
        disconnectionReason: value.disconnection_info?.reason,
        disconnectionInitiatedBy: value.disconnection_info?.initiated_by,
        restrictions: value.restriction_info?.map((r) => ({
          restrictionType: r.restriction_type,
          expiration: iso(r.expiration),
        })),
        violationType: value.violation_info?.violation_type,
        banState: value.ban_info?.waba_ban_state,
        banDate: value.ban_info?.waba_ban_date,
        country: value.country,
        adAccountId: value.waba_info?.ad_account_linked,
        certificationStatus: cert?.status,
        certificationRejectionReasons: cert?.rejection_reasons,
        authIntl: auth && {
          startTime: iso(auth.start_time),
          exceptionCountries: (auth.exception_countries ?? []).map((c) => ({
            countryCode: c.country_code,
            startTime: iso(c.start_time),
          })),
        },
        pricingTier: tier && {
          tier: tier.tier ?? null,
          pricingCategory: tier.pricing_category ?? null,
          region: tier.region ?? null,
          effectiveMonth: tier.effective_month ?? null,
          tierUpdateTime: iso(tier.tier_update_time),
        },
      },
    },
  ];
}

function iso(date: Date | undefined): string | null {
  return date?.toISOString() ?? null;
}
