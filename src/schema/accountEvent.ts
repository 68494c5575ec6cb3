import type { AccountEventFamily } from "../domain/accountEvents.ts";
import { accountEventDetailsColumn, accountEventFamilyColumn, accountEventRawColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { accountEventEvents, accountEventOf } from "../resolvers/accountEvent.ts";
import { disconnectionReasonOf } from "../domain/disconnectionReason.ts";
import { DisconnectionReasonEnum } from "./disconnection.ts";
import { AuthIntlRef, PricingTierRef, RestrictionRef } from "./facts.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";

/** The GraphQL type of each event family. */
const TYPE_OF_FAMILY = {
  CONNECTION: "ConnectionAccountEvent",
  PARTNER: "PartnerAccountEvent",
  RESTRICTION: "RestrictionAccountEvent",
  VIOLATION: "ViolationAccountEvent",
  BAN: "BanAccountEvent",
  AUTH_INTL_PRICING: "AuthIntlPriceEligibilityAccountEvent",
  PRICING_TIER: "PricingTierAccountEvent",
  MM_LITE_TERMS: "MmLiteTermsAccountEvent",
  AD_ACCOUNT: "AdAccountLinkedAccountEvent",
  COUNTRY: "CountryAccountEvent",
  CERTIFICATION: "CertificationAccountEvent",
  UNKNOWN: "UnknownAccountEvent",
} as const satisfies Record<AccountEventFamily, string>;

const details = (e: { details: unknown }) => accountEventDetailsColumn.read(e.details);

export const AccountEventInterface = builder.prismaInterface("AccountEvent", {
  name: "AccountEvent",
  description: "One account_update event, as stored once however many deliveries carried it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    event: t.exposeString("event", { description: "Meta's event value as it came, e.g. PARTNER_REMOVED." }),
    occurredAt: t.expose("occurredAt", { type: "DateTime", description: "The entry's time (Meta's clock)." }),
    phoneNumber: t.exposeString("phoneNumber", {
      nullable: true,
      description: "The business number the event names (`phone_number`, digits only); null when it is about the whole WABA.",
    }),
    waba: t.relation("waba"),
    raw: t.field({ type: "JSON", description: "The change's value object exactly as Meta sent it.", resolve: (e) => accountEventRawColumn.read(e.raw) }),
    receivedAt: t.expose("createdAt", { type: "DateTime" }),
  }),
  resolveType: (e) => TYPE_OF_FAMILY[accountEventFamilyColumn.read(e.family)],
});

const interfaces = [AccountEventInterface];
for (const variant of [TYPE_OF_FAMILY.CONNECTION, TYPE_OF_FAMILY.MM_LITE_TERMS, TYPE_OF_FAMILY.UNKNOWN]) {
  builder.prismaObject("AccountEvent", { variant, interfaces });
}
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.PARTNER,
  interfaces,
  fields: (t) => ({
    ownerBusinessId: t.string({ nullable: true, resolve: (e) => details(e).ownerBusinessId ?? null }),
    disconnectionReason: t.string({ nullable: true, resolve: (e) => details(e).disconnectionReason ?? null }),
    disconnectionReasonCode: t.field({
      type: DisconnectionReasonEnum,
      nullable: true,
      description: "`disconnectionReason` decoded; null when Meta gave none.",
      resolve: (e) => disconnectionReasonOf(details(e).disconnectionReason),
    }),
    disconnectionInitiatedBy: t.string({ nullable: true, resolve: (e) => details(e).disconnectionInitiatedBy ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.RESTRICTION,
  interfaces,
  fields: (t) => ({
    restrictions: t.field({
      type: [RestrictionRef],
      ...capped(LIST_CAPS.accountFacts),
      resolve: (e) => firstOf(LIST_CAPS.accountFacts, details(e).restrictions ?? []),
    }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.VIOLATION,
  interfaces,
  fields: (t) => ({
    violationType: t.string({ nullable: true, resolve: (e) => details(e).violationType ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.BAN,
  interfaces,
  fields: (t) => ({
    banState: t.string({ nullable: true, resolve: (e) => details(e).banState ?? null }),
    banDate: t.string({ nullable: true, resolve: (e) => details(e).banDate ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.AUTH_INTL_PRICING,
  interfaces,
  fields: (t) => ({
    eligibility: t.field({ type: AuthIntlRef, nullable: true, resolve: (e) => details(e).authIntl ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.PRICING_TIER,
  interfaces,
  fields: (t) => ({
    pricingTier: t.field({
      type: PricingTierRef,
      nullable: true,
      resolve: (e) => {
        const tier = details(e).pricingTier;
        return tier ? { ...tier, tierUpdateTime: tier.tierUpdateTime ?? e.occurredAt.toISOString() } : null;
      },
    }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.AD_ACCOUNT,
  interfaces,
  fields: (t) => ({
    adAccountId: t.string({ nullable: true, resolve: (e) => details(e).adAccountId ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.COUNTRY,
  interfaces,
  fields: (t) => ({
    country: t.string({ nullable: true, resolve: (e) => details(e).country ?? null }),
  }),
});
builder.prismaObject("AccountEvent", {
  variant: TYPE_OF_FAMILY.CERTIFICATION,
  interfaces,
  fields: (t) => ({
    status: t.string({ nullable: true, resolve: (e) => details(e).certificationStatus ?? null }),
    rejectionReasons: t.stringList({
      ...capped(LIST_CAPS.accountFacts),
      resolve: (e) => firstOf(LIST_CAPS.accountFacts, details(e).certificationRejectionReasons ?? []),
    }),
  }),
});

builder.subscriptionField("accountEvents", (t) =>
  t.prismaField({
    type: AccountEventInterface,
    description: "account_update events as they are stored (once each), after the commit.",
    args: { wabaId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) => accountEventEvents(args, ctx),
    resolve: (query, event, _args, ctx) => accountEventOf(query, event, ctx),
  }),
);
