import { ALERT_SEVERITIES, alertOpen, alertSeverityOf, type WabaCapabilities } from "../domain/wabaSignals.ts";
import { messagingLimitTierOf } from "../domain/numberSignals.ts";
import { builder } from "./builder.ts";
import { MessagingLimitTierEnum } from "./numberSignals.ts";
import { signalDetailsOf, wabaAlerts, wabaCapabilities } from "../resolvers/accountSignals.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";

const CapabilitiesRef = builder.objectRef<WabaCapabilities>("WabaCapabilities").implement({
  description: "The WABA's (or its business portfolio's) limits, each from the latest business_capability_update that carried it.",
  fields: (t) => ({
    messagingLimit: t.field({
      type: MessagingLimitTierEnum,
      nullable: true,
      description: "The portfolio's messaging limit (max_daily_conversations_per_business), as a tier.",
      resolve: (c) => messagingLimitTierOf(c.maxDailyConversationsPerBusiness),
    }),
    maxDailyConversationsPerBusiness: t.exposeString("maxDailyConversationsPerBusiness", {
      nullable: true,
      description: "As Meta sent it (a tier or a count).",
    }),
    maxDailyConversationPerPhone: t.exposeInt("maxDailyConversationPerPhone", { nullable: true, description: "Being removed by Meta; -1 is unlimited." }),
    maxPhoneNumbersPerBusiness: t.exposeInt("maxPhoneNumbersPerBusiness", { nullable: true }),
    maxPhoneNumbersPerWaba: t.exposeInt("maxPhoneNumbersPerWaba", { nullable: true }),
    updatedAt: t.expose("updatedAt", { type: "DateTime", description: "Meta's time of the latest capability event." }),
  }),
});

const AlertSeverityEnum = builder.enumType("AlertSeverity", {
  description: "CRITICAL (refused or denied), WARNING (action may be needed), INFORMATIONAL; OTHER: one this version does not know.",
  values: ALERT_SEVERITIES,
});

const alert = (e: { details: unknown }) => signalDetailsOf(e, "account_alerts");

const AccountAlertRef = builder.prismaObject("AccountSignal", {
  variant: "AccountAlert",
  description: "An account_alerts alert (one per type and entity) as its latest event, by Meta's time, says.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The id of its latest event." }),
    entityType: t.string({ description: "What it is about, e.g. BUSINESS or PHONE_NUMBER, as Meta sent it.", resolve: (e) => alert(e).entityType }),
    entityId: t.string({ resolve: (e) => alert(e).entityId }),
    severity: t.field({ type: AlertSeverityEnum, resolve: (e) => alertSeverityOf(alert(e).severity) ?? "OTHER" }),
    status: t.string({ description: "alert_status as Meta sent it (ACTIVE while open).", resolve: (e) => alert(e).status }),
    open: t.boolean({ description: "Its latest status is ACTIVE.", resolve: (e) => alertOpen(alert(e).status) }),
    type: t.string({ description: "alert_type, e.g. INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED or OBA_APPROVED.", resolve: (e) => alert(e).type }),
    description: t.string({ nullable: true, resolve: (e) => alert(e).description }),
    at: t.expose("occurredAt", { type: "DateTime", description: "Meta's time of its latest event." }),
    raw: t.expose("raw", { type: "JSON" }),
  }),
});

builder.prismaObjectFields("Waba", (t) => ({
  capabilities: t.field({
    type: CapabilitiesRef,
    nullable: true,
    description: "Messaging limit tier and number limits from business_capability_update; null before any.",
    select: { wabaId: true },
    resolve: (w, _args, ctx) => wabaCapabilities(w, ctx),
  }),
  alerts: t.field({
    type: [AccountAlertRef],
    ...capped(LIST_CAPS.alerts, "account_alerts, one per type and entity, most severe first then newest; the open ones unless `openOnly` is false."),
    args: { openOnly: t.arg.boolean({ defaultValue: true, required: true }) },
    select: { wabaId: true },
    resolve: (w, args, ctx) => wabaAlerts(w, args, ctx, LIST_CAPS.alerts),
  }),
}));
