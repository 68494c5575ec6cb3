import { CONNECTION_STATES, type ConnectionState } from "../domain/accountEvents.ts";
import { activeRestrictions, canSend, type PricingTier, type Restriction, type WabaProjection } from "../domain/connectionState.ts";
import { builder } from "./builder.ts";
import { waba, wabas } from "../resolvers/waba.ts";
import { AuthIntlRef, PricingTierRef, RestrictionRef, ViolationRef } from "./facts.ts";

export const ConnectionStateEnum = builder.enumType("ConnectionState", {
  description:
    "CONNECTED; OFFBOARDED (Cloud API sends paused until ACCOUNT_RECONNECTED, partner access and webhooks stay); " +
    "DISCONNECTED (partner removed or app uninstalled, until added or installed again); DELETED (final).",
  values: CONNECTION_STATES,
});

// JSON columns written by the ingest layer from the domain's projection (see WabaProjection).
function column<T>(value: unknown, empty: T): T {
  return (value ?? empty) as T;
}
const restrictionsOf = (w: { restrictions: unknown }) => column<Restriction[]>(w.restrictions, []);

builder.prismaObject("Waba", {
  description: "A WhatsApp Business Account and the facts its account_update events established.",
  fields: (t) => ({
    wabaId: t.exposeString("wabaId"),
    ownerBusinessId: t.exposeString("ownerBusinessId", { nullable: true }),
    connectionState: t.field({ type: ConnectionStateEnum, resolve: (w) => w.connectionState as ConnectionState }),
    canSend: t.boolean({
      description:
        "Whether the Cloud API may send business-initiated messages now: false while offboarded, disconnected, " +
        "deleted, disabled, or under an unexpired RESTRICTED_BIZ_INITIATED_MESSAGING restriction.",
      select: { connectionState: true, banState: true, restrictions: true },
      resolve: (w) => canSend({ ...w, restrictions: restrictionsOf(w) }, new Date()),
    }),
    restrictions: t.field({
      type: [RestrictionRef],
      description: "The restrictions of the latest ACCOUNT_RESTRICTION event, expired ones included (see `active`).",
      args: { activeOnly: t.arg.boolean({ defaultValue: false }) },
      select: { restrictions: true },
      resolve: (w, args) => (args.activeOnly ? activeRestrictions(restrictionsOf(w), new Date()) : restrictionsOf(w)),
    }),
    banState: t.exposeString("banState", { nullable: true, description: "DISABLE, REINSTATE or SCHEDULE_FOR_DISABLE." }),
    banDate: t.exposeString("banDate", { nullable: true }),
    country: t.exposeString("country", { nullable: true }),
    violations: t.field({
      type: [ViolationRef],
      select: { violations: true },
      resolve: (w) => column<WabaProjection["violations"]>(w.violations, []),
    }),
    pricingTiers: t.field({
      type: [PricingTierRef],
      select: { pricingTiers: true },
      resolve: (w) => column<PricingTier[]>(w.pricingTiers, []),
    }),
    authIntlPriceEligibility: t.field({
      type: AuthIntlRef,
      nullable: true,
      select: { authIntlPriceEligibility: true },
      resolve: (w) => column<WabaProjection["authIntlPriceEligibility"]>(w.authIntlPriceEligibility, null),
    }),
    adAccounts: t.stringList({ select: { adAccounts: true }, resolve: (w) => column<string[]>(w.adAccounts, []) }),
    mmLiteTermsSignedAt: t.expose("mmLiteTermsSignedAt", { type: "DateTime", nullable: true }),
    certificationStatus: t.exposeString("certificationStatus", { nullable: true }),
    certificationRejectionReasons: t.stringList({
      select: { certificationRejectionReasons: true },
      resolve: (w) => column<string[]>(w.certificationRejectionReasons, []),
    }),
    lastEventAt: t.expose("lastEventAt", { type: "DateTime", nullable: true }),
    disconnections: t.relation("disconnections", {
      description: "Newest first.",
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
