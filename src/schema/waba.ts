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
import { waba, wabaCanSendNow, wabaPhoneNumbers, wabas } from "../resolvers/waba.ts";
import { AuthIntlRef, PricingTierRef, RestrictionRef, ViolationRef } from "./facts.ts";

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
      description: "The restrictions of the latest ACCOUNT_RESTRICTION event, expired ones included (see `active`).",
      args: { activeOnly: t.arg.boolean({ defaultValue: false }) },
      select: { restrictions: true },
      resolve: (w, args) => {
        const restrictions = restrictionsColumn.read(w.restrictions);
        return args.activeOnly ? activeRestrictions(restrictions, new Date()) : restrictions;
      },
    }),
    banState: t.exposeString("banState", { nullable: true, description: "DISABLE, REINSTATE or SCHEDULE_FOR_DISABLE." }),
    banDate: t.exposeString("banDate", { nullable: true }),
    country: t.exposeString("country", { nullable: true }),
    violations: t.field({
      type: [ViolationRef],
      select: { violations: true },
      resolve: (w) => violationsColumn.read(w.violations),
    }),
    pricingTiers: t.field({
      type: [PricingTierRef],
      select: { pricingTiers: true },
      resolve: (w) => pricingTiersColumn.read(w.pricingTiers),
    }),
    authIntlPriceEligibility: t.field({
      type: AuthIntlRef,
      nullable: true,
      select: { authIntlPriceEligibility: true },
      resolve: (w) => authIntlColumn.read(w.authIntlPriceEligibility),
    }),
    adAccounts: t.stringList({ select: { adAccounts: true }, resolve: (w) => adAccountsColumn.read(w.adAccounts) }),
    mmLiteTermsSignedAt: t.expose("mmLiteTermsSignedAt", { type: "DateTime", nullable: true }),
    certificationStatus: t.exposeString("certificationStatus", { nullable: true }),
    certificationRejectionReasons: t.stringList({
      select: { certificationRejectionReasons: true },
      resolve: (w) => certificationRejectionReasonsColumn.read(w.certificationRejectionReasons),
    }),
    lastEventAt: t.expose("lastEventAt", { type: "DateTime", nullable: true }),
    phoneNumbers: t.field({
      type: [PhoneNumberRef],
      description:
        "The WABA's business numbers, each with its own last activity, history sync and `canSend`, by display number. " +
        "A number named only by an account_update (a coexistence PARTNER_REMOVED with `phone_number`) is listed too.",
      select: { wabaId: true },
      resolve: (w, _args, ctx) => wabaPhoneNumbers(w, ctx),
    }),
    disconnections: t.relation("disconnections", {
      description: "Newest first: the WABA's own and its numbers' (those carry `phoneNumber`; they do not change `connectionState`).",
      query: { orderBy: [{ occurredAt: "desc" }, { id: "desc" }] },
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
