import { filter, pipe } from "graphql-yoga";
import { DISCONNECTION_KINDS } from "../domain/accountEvents.ts";
import { RECOMMENDED_ACTIONS } from "../domain/recommendedAction.ts";
import { builder } from "./builder.ts";
import { mayReceive } from "./scope.ts";
import { readOnce } from "./readOnce.ts";

export const DisconnectionKindEnum = builder.enumType("DisconnectionKind", {
  description: "The account_update event that opened the disconnection.",
  values: DISCONNECTION_KINDS,
});

export const RecommendedActionEnum = builder.enumType("RecommendedAction", {
  description: "What to do about a disconnection; see docs/webhook-contract.md for the table.",
  values: RECOMMENDED_ACTIONS,
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
    kind: t.field({ type: DisconnectionKindEnum, resolve: (d) => d.kind as (typeof DISCONNECTION_KINDS)[number] }),
    reason: t.exposeString("reason", { nullable: true, description: "disconnection_info.reason as Meta sent it." }),
    initiatedBy: t.exposeString("initiatedBy", { nullable: true, description: "disconnection_info.initiated_by (USER or SYSTEM)." }),
    occurredAt: t.expose("occurredAt", { type: "DateTime" }),
    resolvedAt: t.expose("resolvedAt", { type: "DateTime", nullable: true }),
    resolvedByEventId: t.exposeString("resolvedByEventId", { nullable: true }),
    recommendedAction: t.field({
      type: RecommendedActionEnum,
      resolve: (d) => d.recommendedAction as (typeof RECOMMENDED_ACTIONS)[number],
    }),
  }),
});

builder.subscriptionField("disconnections", (t) =>
  t.prismaField({
    type: "Disconnection",
    description: "Disconnections opened or resolved, published once the change is committed.",
    args: { wabaId: t.arg.string({ required: false }) },
    subscribe: (_root, args, ctx) =>
      pipe(
        ctx.pubsub.subscribe("disconnection"),
        filter((p) => (!args.wabaId || p.wabaId === args.wabaId) && mayReceive(ctx.principal, p)),
      ),
    resolve: (query, payload, _args, ctx) =>
      readOnce(payload as object, query, () =>
        ctx.db.disconnection.findUniqueOrThrow({ ...query, where: { id: (payload as { id: string }).id } }),
      ),
  }),
);
