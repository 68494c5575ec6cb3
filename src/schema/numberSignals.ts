import {
  MESSAGING_LIMIT_TIERS,
  NUMBER_QUALITY_EVENTS,
  SECURITY_EVENT_KINDS,
  VERIFIED_NAME_DECISIONS,
  messagingLimitTierOf,
  numberQualityEventOf,
  securityEventKindOf,
  verifiedNameDecisionOf,
} from "../domain/numberSignals.ts";
import { builder } from "./builder.ts";
import { latestNumberSignal, numberSignals, signalDetailsOf } from "../resolvers/accountSignals.ts";
import { LIST_CAPS, capped } from "./listBounds.ts";

export const MessagingLimitTierEnum = builder.enumType("MessagingLimitTier", {
  description:
    "A messaging limit (unique users a business may open conversations with per rolling 24 hours) or throughput level, " +
    "as Meta names it (a count in older payloads reads as its tier; -1 is TIER_UNLIMITED); OTHER: one this version does not know.",
  values: MESSAGING_LIMIT_TIERS,
});

const NumberQualityEventEnum = builder.enumType("PhoneNumberQualityEvent", {
  description:
    "phone_number_quality_update's event: ONBOARDING (still being registered), THROUGHPUT_UPGRADE (moved to higher throughput), " +
    "or an older messaging-limit event; OTHER: one this version does not know (`metaEvent` has it).",
  values: NUMBER_QUALITY_EVENTS,
});

const VerifiedNameDecisionEnum = builder.enumType("VerifiedNameDecisionKind", {
  description: "The outcome of Meta's display name review; OTHER: one this version does not know.",
  values: VERIFIED_NAME_DECISIONS,
});

const SecurityEventKindEnum = builder.enumType("SecurityEventKind", {
  description:
    "PIN_CHANGED (two-step verification PIN changed or enabled in WhatsApp Manager), PIN_RESET_REQUEST (someone asked to turn it " +
    "off), PIN_REQUEST_SUCCESS (it was turned off through the reset email); OTHER: one this version does not know.",
  values: SECURITY_EVENT_KINDS,
});

const quality = (e: { details: unknown }) => signalDetailsOf(e, "phone_number_quality_update");
const name = (e: { details: unknown }) => signalDetailsOf(e, "phone_number_name_update");
const security = (e: { details: unknown }) => signalDetailsOf(e, "security");

const NumberQualityRef = builder.prismaObject("AccountSignal", {
  variant: "PhoneNumberQuality",
  description: "One phone_number_quality_update: a change of the number's throughput or messaging limit.",
  fields: (t) => ({
    id: t.exposeID("id"),
    event: t.field({ type: NumberQualityEventEnum, resolve: (e) => numberQualityEventOf(quality(e).event) ?? "OTHER" }),
    metaEvent: t.string({ description: "The event as Meta sent it.", resolve: (e) => quality(e).event }),
    currentLimit: t.field({ type: MessagingLimitTierEnum, nullable: true, resolve: (e) => messagingLimitTierOf(quality(e).currentLimit) }),
    oldLimit: t.field({ type: MessagingLimitTierEnum, nullable: true, resolve: (e) => messagingLimitTierOf(quality(e).oldLimit) }),
    maxDailyConversationsPerBusiness: t.field({
      type: MessagingLimitTierEnum,
      nullable: true,
      description: "The business portfolio's messaging limit (what replaces current_limit in 2026).",
      resolve: (e) => messagingLimitTierOf(quality(e).maxDailyConversationsPerBusiness),
    }),
    at: t.expose("occurredAt", { type: "DateTime", description: "Meta's time (the entry's)." }),
    raw: t.expose("raw", { type: "JSON" }),
  }),
});

const VerifiedNameRef = builder.prismaObject("AccountSignal", {
  variant: "VerifiedNameDecision",
  description: "One phone_number_name_update: Meta's decision on the display name of the number.",
  fields: (t) => ({
    id: t.exposeID("id"),
    decision: t.field({ type: VerifiedNameDecisionEnum, resolve: (e) => verifiedNameDecisionOf(name(e).decision) ?? "OTHER" }),
    requestedVerifiedName: t.string({ nullable: true, resolve: (e) => name(e).requestedVerifiedName }),
    rejectionReason: t.string({ nullable: true, description: "e.g. NAME_FORMAT_UNACCEPTABLE, as Meta sent it.", resolve: (e) => name(e).rejectionReason }),
    at: t.expose("occurredAt", { type: "DateTime" }),
    raw: t.expose("raw", { type: "JSON" }),
  }),
});

const SecurityEventRef = builder.prismaObject("AccountSignal", {
  variant: "SecurityEvent",
  description: "One `security` webhook about the number's two-step verification PIN.",
  fields: (t) => ({
    id: t.exposeID("id"),
    event: t.field({ type: SecurityEventKindEnum, resolve: (e) => securityEventKindOf(security(e).event) ?? "OTHER" }),
    metaEvent: t.string({ resolve: (e) => security(e).event }),
    requester: t.string({ nullable: true, description: "The Meta Business Suite user who asked for a reset.", resolve: (e) => security(e).requester }),
    at: t.expose("occurredAt", { type: "DateTime" }),
    raw: t.expose("raw", { type: "JSON" }),
  }),
});

builder.prismaObjectFields("PhoneNumber", (t) => ({
  quality: t.field({
    type: NumberQualityRef,
    nullable: true,
    description: "The latest phone_number_quality_update for the number, by Meta's time; null before any.",
    select: { wabaId: true, displayPhoneNumber: true },
    resolve: (n, _args, ctx) => latestNumberSignal(n, "phone_number_quality_update", ctx),
  }),
  qualityEvents: t.field({
    type: [NumberQualityRef],
    ...capped(LIST_CAPS.numberSignals, "The number's phone_number_quality_update events, newest first by Meta's time; the newest kept."),
    select: { wabaId: true, displayPhoneNumber: true },
    resolve: (n, _args, ctx) => numberSignals(n, "phone_number_quality_update", ctx, LIST_CAPS.numberSignals),
  }),
  verifiedName: t.field({
    type: VerifiedNameRef,
    nullable: true,
    description: "Meta's latest display name decision for the number (phone_number_name_update), by Meta's time; null before any.",
    select: { wabaId: true, displayPhoneNumber: true },
    resolve: (n, _args, ctx) => latestNumberSignal(n, "phone_number_name_update", ctx),
  }),
  securityEvents: t.field({
    type: [SecurityEventRef],
    ...capped(LIST_CAPS.numberSignals, "The number's `security` events (PIN changed, reset requested, reset done), newest first; the newest kept."),
    select: { wabaId: true, displayPhoneNumber: true },
    resolve: (n, _args, ctx) => numberSignals(n, "security", ctx, LIST_CAPS.numberSignals),
  }),
}));
