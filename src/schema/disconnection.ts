import { DISCONNECTION_KINDS } from "../domain/accountEvents.ts";
import { DISCONNECTION_CHANGES } from "../domain/connectionState.ts";
import { RECOMMENDED_ACTIONS, currentRecommendedAction } from "../domain/recommendedAction.ts";
import { disconnectionKindColumn, recommendedActionColumn } from "../storage/columns.ts";
import { DISCONNECTION_REASONS, disconnectionReasonOf } from "../domain/disconnectionReason.ts";
import { builder } from "./builder.ts";
import { disconnectionEvents, disconnectionOf } from "../resolvers/disconnection.ts";
import { fixedAtCommit } from "../resolvers/published.ts";

export const DisconnectionKindEnum = builder.enumType("DisconnectionKind", {
  description: "The account_update event that opened the disconnection.",
  values: DISCONNECTION_KINDS,
});

export const RecommendedActionEnum = builder.enumType("RecommendedAction", {
  description: "What to do about a disconnection; see docs/webhook-contract.md for the table.",
  values: RECOMMENDED_ACTIONS,
});

export const DisconnectionReasonEnum = builder.enumType("DisconnectionReason", {
  description: "disconnection_info.reason of a PARTNER_REMOVED, decoded; OTHER: a reason this version does not know (`reason` has it as sent).",
  values: DISCONNECTION_REASONS,
});

export const DisconnectionChangeEnum = builder.enumType("DisconnectionChange", {
  description:
    "What the commit behind a `disconnections` event did: OPENED (opened, reopened, or changed while open), RESOLVED, " +
    "or STALLED (an offboarding still open OFFBOARDING_STALL_MINUTES after Meta's time of it: `stalled`, recommended action FINISH_REONBOARDING).",
  values: DISCONNECTION_CHANGES,
});

export const DisconnectionRef = builder.prismaObject("Disconnection", {
  fields: (t) => ({
    id: t.exposeID("id", { description: "The id of the account event that opened it." }),
    wabaId: t.exposeString("wabaId"),
    waba: t.relation("waba"),
    phoneNumber: t.exposeString("phoneNumber", {
      nullable: true,
      description:
        "The business number Meta named (account_update `phone_number`, digits): then only that number is cut off " +
        "(its `canSend` is false) and the WABA's `connectionState` is unchanged. Null: the whole WABA.",
    }),
    kind: t.field({ type: DisconnectionKindEnum, resolve: (d) => disconnectionKindColumn.read(d.kind) }),
    reason: t.exposeString("reason", { nullable: true, description: "disconnection_info.reason as Meta sent it." }),
    reasonCode: t.field({
      type: DisconnectionReasonEnum,
      nullable: true,
      description: "`reason` decoded; null when Meta gave none.",
      select: { reason: true },
      resolve: (d) => disconnectionReasonOf(d.reason),
    }),
    initiatedBy: t.exposeString("initiatedBy", { nullable: true, description: "disconnection_info.initiated_by (USER or SYSTEM)." }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    resolvedByEventId: t.exposeString("resolvedByEventId", { nullable: true }),
    recommendedAction: t.field({
      type: RecommendedActionEnum,
      description: "FINISH_REONBOARDING while an offboarding is open and stalled; otherwise what the disconnection's events call for.",
      resolve: (d) => currentRecommendedAction(recommendedActionColumn.read(d.recommendedAction), d),
    }),
    stalled: t.boolean({
      description:
        "An ACCOUNT_OFFBOARDED that Meta had not answered with ACCOUNT_RECONNECTED OFFBOARDING_STALL_MINUTES (default 30) after its time: " +
        "re-onboarding did not complete. A stall lasts while the disconnection is open: once resolved (whenever the reconnection arrives) it is false.",
      resolve: (d) => d.stalledAt !== null,
    }),
    stalledAt: t.expose("stalledAt", {
      type: "DateTime",
      nullable: true,
      description: "When it stalled: Meta's time of the offboarding plus the stall minutes; null when not stalled.",
    }),
    change: t.field({
      type: DisconnectionChangeEnum,
      nullable: true,
      description:
        "On a `disconnections` event: what its commit did, fixed then (the other fields are read when the event is delivered, and a quick resolve may already show). Null when read any other way.",
      resolve: (d) => fixedAtCommit(d, "change", DISCONNECTION_CHANGES),
    }),
  }),
});

builder.subscriptionField("disconnections", (t) =>
  t.prismaField({
    type: "Disconnection",
    description: "Disconnections opened, resolved or stalled, published once the change is committed.",
    args: { wabaId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) => disconnectionEvents(args, ctx),
    resolve: (query, event, _args, ctx) => disconnectionOf(query, event, ctx),
  }),
);
