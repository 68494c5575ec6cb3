import { z } from "zod";

/**
 * The account_update events Meta documents, grouped into the families the API exposes.
 * Meta adds events over time: anything else is kept as it comes, in the UNKNOWN family.
 */
export const ACCOUNT_EVENT_FAMILIES = {
  ACCOUNT_DELETED: "CONNECTION",
  ACCOUNT_OFFBOARDED: "CONNECTION",
  ACCOUNT_RECONNECTED: "CONNECTION",
  PARTNER_ADDED: "PARTNER",
  PARTNER_REMOVED: "PARTNER",
  PARTNER_APP_INSTALLED: "PARTNER",
  PARTNER_APP_UNINSTALLED: "PARTNER",
  ACCOUNT_RESTRICTION: "RESTRICTION",
  ACCOUNT_VIOLATION: "VIOLATION",
  DISABLED_UPDATE: "BAN",
  AUTH_INTL_PRICE_ELIGIBILITY_UPDATE: "AUTH_INTL_PRICING",
  VOLUME_BASED_PRICING_TIER_UPDATE: "PRICING_TIER",
  MM_LITE_TERMS_SIGNED: "MM_LITE_TERMS",
  AD_ACCOUNT_LINKED: "AD_ACCOUNT",
  BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE: "COUNTRY",
  PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE: "CERTIFICATION",
} as const;

export type KnownAccountEventName = keyof typeof ACCOUNT_EVENT_FAMILIES;
export type AccountEventFamily = (typeof ACCOUNT_EVENT_FAMILIES)[KnownAccountEventName] | "UNKNOWN";
/** Every family (the documented ones repeat in this list; that is harmless). */
export const ACCOUNT_EVENT_FAMILY_VALUES: readonly AccountEventFamily[] = [...Object.values(ACCOUNT_EVENT_FAMILIES), "UNKNOWN"];

export function familyOf(event: string): AccountEventFamily {
  return Object.hasOwn(ACCOUNT_EVENT_FAMILIES, event) ? ACCOUNT_EVENT_FAMILIES[event as KnownAccountEventName] : "UNKNOWN";
}

/** Events that open a Disconnection (Meta: "connection-impacting events"). */
export const DISCONNECTION_KINDS = ["PARTNER_REMOVED", "PARTNER_APP_UNINSTALLED", "ACCOUNT_OFFBOARDED", "ACCOUNT_DELETED"] as const;
export type DisconnectionKind = (typeof DISCONNECTION_KINDS)[number];

export function isDisconnectionKind(event: string): event is DisconnectionKind {
  return (DISCONNECTION_KINDS as readonly string[]).includes(event);
}

/** Which open disconnections each reconnecting event closes. ACCOUNT_DELETED is final: nothing closes it. */
export const RESOLVES: Record<string, readonly DisconnectionKind[]> = {
  ACCOUNT_RECONNECTED: ["ACCOUNT_OFFBOARDED"],
  // A business that shares its WABA again (Embedded Signup) is connected again, whatever cut it off.
  PARTNER_ADDED: ["PARTNER_REMOVED", "PARTNER_APP_UNINSTALLED", "ACCOUNT_OFFBOARDED"],
  PARTNER_APP_INSTALLED: ["PARTNER_REMOVED", "PARTNER_APP_UNINSTALLED", "ACCOUNT_OFFBOARDED"],
};

export const CONNECTION_STATES = ["CONNECTED", "OFFBOARDED", "DISCONNECTED", "DELETED"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * One account_update change, as the transport hands it to the domain: which WABA it is
 * about, when Meta says it happened, and the value as it came (with its parsed details).
 */
export interface AccountEventInput {
  /** Identity of the event: the same event inside two deliveries has the same id. */
  id: string;
  wabaId: string;
  entryId: string;
  event: string;
  occurredAt: Date;
  /**
   * The business number the event names (`phone_number`, digits only), or null for the whole WABA.
   * Meta names one for a coexistence number disconnected from the WhatsApp Business app.
   */
  phoneNumber: string | null;
  raw: Record<string, unknown>;
  details: AccountEventDetails;
}

/**
 * The parts of an event the lifecycle rules read; everything else stays in `raw`. Times are ISO
 * strings so the details survive a JSON column unchanged (AccountEvent.details is read back through it).
 */
export const accountEventDetailsRecord = z.object({
  ownerBusinessId: z.string().optional(),
  disconnectionReason: z.string().optional(),
  disconnectionInitiatedBy: z.string().optional(),
  restrictions: z.array(z.object({ restrictionType: z.string(), expiration: z.string().nullable() })).optional(),
  violationType: z.string().optional(),
  banState: z.string().optional(),
  banDate: z.string().optional(),
  country: z.string().optional(),
  adAccountId: z.string().optional(),
  certificationStatus: z.string().optional(),
  certificationRejectionReasons: z.array(z.string()).optional(),
  authIntl: z
    .object({
      startTime: z.string().nullable(),
      exceptionCountries: z.array(z.object({ countryCode: z.string(), startTime: z.string().nullable() })),
    })
    .optional(),
  pricingTier: z
    .object({
      tier: z.string().nullable(),
      pricingCategory: z.string().nullable(),
      region: z.string().nullable(),
      effectiveMonth: z.string().nullable(),
      tierUpdateTime: z.string().nullable(),
    })
    .optional(),
});
export type AccountEventDetails = z.infer<typeof accountEventDetailsRecord>;
