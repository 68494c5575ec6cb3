import { CONNECTION_STATES } from "../domain/accountEvents.ts";
import { activeRestrictions } from "../domain/connectionState.ts";
import {
  adAccountsColumn,
  authIntlColumn,
  certificationRejectionReasonsColumn,
  connectionStateColumn,
  pricingTiersColumn,
  restrictionsColumn,
  violationsColumn,
} from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { PhoneNumberRef } from "./phoneNumber.ts";
import { waba, wabaCanSendNow, wabaListedEvents, wabaListedOf, wabaPhoneNumbers, wabas } from "../resolvers/waba.ts";
import { AuthIntlRef, PricingTierRef, RestrictionRef, ViolationRef } from "./facts.ts";
import { LIST_CAPS, capped, firstOf, lastOf } from "./listBounds.ts";
import { MessageTemplateRef, TemplateStatusEnum } from "./template.ts";
import { wabaTemplates } from "../resolvers/template.ts";

export const ConnectionStateEnum = builder.enumType("ConnectionState", {
  description:
    "CONNECTED; OFFBOARDED (Cloud API sends paused until ACCOUNT_RECONNECTED, partner access and webhooks stay); " +
    "DISCONNECTED (partner removed or app uninstalled, until added or installed again); DELETED (final).",
  values: CONNECTION_STATES,
});

builder.prismaObject("Waba", {
  description: "A WhatsApp Business Account and the facts its account_update events established.",
  fields: (t) => ({
    wabaId: t.exposeString("wabaId"),
    ownerBusinessId: t.exposeString("ownerBusinessId", { nullable: true }),
    connectionState: t.field({
      type: ConnectionStateEnum,
      description: "The WABA's own state: a disconnection that names one number (see `phoneNumbers`) leaves it CONNECTED.",
      resolve: (w) => connectionStateColumn.read(w.connectionState),
    }),
    canSend: t.boolean({
      description:
        "Whether the Cloud API may send business-initiated messages now: false while offboarded, disconnected, " +
        "deleted, disabled, or under an unexpired RESTRICTED_BIZ_INITIATED_MESSAGING restriction.",
      select: { connectionState: true, banState: true, restrictions: true },
      resolve: (w) => wabaCanSendNow(w),
    }),
    restrictions: t.field({
      type: [RestrictionRef],
      ...capped(LIST_CAPS.accountFacts, "The restrictions of the latest ACCOUNT_RESTRICTION event, expired ones included (see `active`)."),
      args: { activeOnly: t.arg.boolean({ defaultValue: false }) },
      select: { restrictions: true },
      resolve: (w, args) => {
        const restrictions = restrictionsColumn.read(w.restrictions);
        return firstOf(LIST_CAPS.accountFacts, args.activeOnly ? activeRestrictions(restrictions, new Date()) : restrictions);
      },
    }),
    banState: t.exposeString("banState", { nullable: true, description: "DISABLE, REINSTATE or SCHEDULE_FOR_DISABLE." }),
    banDate: t.exposeString("banDate", { nullable: true }),
    country: t.exposeString("country", { nullable: true }),
    violations: t.field({
      type: [ViolationRef],
      ...capped(LIST_CAPS.accountFacts, "ACCOUNT_VIOLATION events in event order, the latest kept."),
      select: { violations: true },
      resolve: (w) => lastOf(LIST_CAPS.accountFacts, violationsColumn.read(w.violations)),
    }),
    pricingTiers: t.field({
      type: [PricingTierRef],
      ...capped(LIST_CAPS.accountFacts, "Pricing tier changes in event order, the latest kept."),
      select: { pricingTiers: true },
      resolve: (w) => lastOf(LIST_CAPS.accountFacts, pricingTiersColumn.read(w.pricingTiers)),
    }),
    authIntlPriceEligibility: t.field({
      type: AuthIntlRef,
      nullable: true,
      select: { authIntlPriceEligibility: true },
      resolve: (w) => authIntlColumn.read(w.authIntlPriceEligibility),
    }),
    adAccounts: t.stringList({
      ...capped(LIST_CAPS.accountFacts, "Linked ad accounts in the order they were linked, the latest kept."),
      select: { adAccounts: true },
      resolve: (w) => lastOf(LIST_CAPS.accountFacts, adAccountsColumn.read(w.adAccounts)),
    }),
    mmLiteTermsSignedAt: t.expose("mmLiteTermsSignedAt", { type: "DateTime", nullable: true }),
    certificationStatus: t.exposeString("certificationStatus", { nullable: true }),
    certificationRejectionReasons: t.stringList({
      ...capped(LIST_CAPS.accountFacts),
      select: { certificationRejectionReasons: true },
      resolve: (w) => firstOf(LIST_CAPS.accountFacts, certificationRejectionReasonsColumn.read(w.certificationRejectionReasons)),
    }),
    lastEventAt: t.expose("lastEventAt", { type: "DateTime", nullable: true }),
    phoneNumbers: t.field({
      type: [PhoneNumberRef],
      ...capped(
        LIST_CAPS.phoneNumbers,
        "The WABA's business numbers, each with its own last activity, history sync and `canSend`, by display number. " +
          "A number named only by an account_update (a coexistence PARTNER_REMOVED with `phone_number`) is listed too.",
      ),
      select: { wabaId: true },
      resolve: async (w, _args, ctx) => firstOf(LIST_CAPS.phoneNumbers, await wabaPhoneNumbers(w, ctx)),
    }),
    disconnections: t.relation("disconnections", {
      ...capped(
        LIST_CAPS.disconnections,
        "Newest first: the WABA's own and its numbers' (those carry `phoneNumber`; they do not change `connectionState`); the newest kept.",
      ),
      query: { orderBy: [{ occurredAt: "desc" }, { id: "desc" }], take: LIST_CAPS.disconnections },
    }),
    templates: t.field({
      type: [MessageTemplateRef],
      ...capped(
        LIST_CAPS.templates,
        "The WABA's message templates, by name and language: those Meta lists (GET /{waba-id}/message_templates, cached " +
          "TEMPLATE_CACHE_MINUTES; a stale list is answered and refreshed in the background) and those a template webhook named; " +
          "`status` and `name` narrow them. See docs/sending.md#templates.",
      ),
      args: { status: t.arg({ type: TemplateStatusEnum, required: false }), name: t.arg.string({ required: false }) },
      select: { wabaId: true, templatesListedAt: true },
      resolve: (w, args, ctx) => wabaTemplates(w, args, ctx, LIST_CAPS.templates),
    }),
    templatesListedAt: t.expose("templatesListedAt", {
      type: "DateTime",
      nullable: true,
      description: "When the hub last listed the WABA's templates from Meta (when it asked); null: never.",
    }),
    events: t.relatedConnection("events", {
      description: "Every account_update event of this WABA, newest first (by Meta's time).",
      cursor: "id",
      query: { orderBy: [{ occurredAt: "desc" }, { id: "desc" }] },
    }),
  }),
});

builder.queryFields((t) => ({
  waba: t.prismaField({
    type: "Waba",
    nullable: true,
    args: { wabaId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => waba(query, args, ctx),
  }),
  wabas: t.prismaConnection({
    type: "Waba",
    cursor: "wabaId",
    args: { state: t.arg({ type: ConnectionStateEnum, required: false }) },
    resolve: (query, _root, args, ctx) => wabas(query, args, ctx),
  }),
}));

builder.subscriptionField("wabaListed", (t) =>
  t.prismaField({
    type: "Waba",
    description:
      "A WABA stored for the first time, once committed: from its first account_update or its first delivery of any other field " +
      "(a message, a status, a history chunk). What makes a new row appear in `wabas` without polling.",
    subscribe: (_root, _args, ctx) => wabaListedEvents(ctx),
    resolve: (query, event, _args, ctx) => wabaListedOf(query, event, ctx),
  }),
);
