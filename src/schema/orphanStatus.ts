import { readPendingStatus } from "../storage/storedStatus.ts";
import { builder, type Context } from "./builder.ts";
import { MessageStatusEnum } from "./message.ts";
import { MessageConversationRef, MessagePricingRef } from "./messageBilling.ts";
import { wabaScope } from "./scope.ts";

builder.prismaObject("PendingMessageUpdate", {
  name: "OrphanStatus",
  description:
    "A status whose message the hub has not seen (typically a message another app sent through the Cloud API). Applied if the message arrives; deleted after PENDING_UPDATE_MAX_AGE_DAYS.",
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    wamid: t.exposeString("targetWamid", { description: "The message the status is about." }),
    status: t.field({ type: MessageStatusEnum, nullable: true, resolve: (p) => readPendingStatus(p.payload)?.status ?? null }),
    timestamp: t.expose("occurredAt", { type: "DateTime", description: "The status's own time." }),
    recipientWaId: t.string({ nullable: true, resolve: (p) => readPendingStatus(p.payload)?.recipient.waId ?? null }),
    recipientUserId: t.string({ nullable: true, resolve: (p) => readPendingStatus(p.payload)?.recipient.userId ?? null }),
    pricing: t.field({ type: MessagePricingRef, nullable: true, resolve: (p) => readPendingStatus(p.payload)?.pricing ?? null }),
    conversation: t.field({ type: MessageConversationRef, nullable: true, resolve: (p) => readPendingStatus(p.payload)?.conversation ?? null }),
    receivedAt: t.expose("createdAt", { type: "DateTime", description: "When the hub received it." }),
    ageSeconds: t.int({
      description: "How long it has waited for its message, in seconds (pruned at PENDING_UPDATE_MAX_AGE_DAYS).",
      resolve: (p) => Math.max(0, Math.floor((Date.now() - p.createdAt.getTime()) / 1000)),
    }),
  }),
});

/** The phone number, when the token may see its WABA: pending updates have no relation to scope through. */
async function visible(ctx: Pick<Context, "db" | "principal">, phoneNumberId: string): Promise<boolean> {
  return (await ctx.db.phoneNumber.count({ where: { AND: [{ phoneNumberId }, wabaScope(ctx.principal)] } })) > 0;
}

builder.queryField("orphanStatuses", (t) =>
  t.prismaConnection({
    type: "PendingMessageUpdate",
    cursor: "id",
    description: "Statuses still waiting for a message the hub has not seen, oldest first.",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      if (!(await visible(ctx, args.phoneNumberId))) return [];
      return ctx.db.pendingMessageUpdate.findMany({
        ...query,
        where: { phoneNumberId: args.phoneNumberId, kind: "STATUS" },
        orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      });
    },
    totalCount: async (_parent, args, ctx) =>
      (await visible(ctx, args.phoneNumberId)) ? ctx.db.pendingMessageUpdate.count({ where: { phoneNumberId: args.phoneNumberId, kind: "STATUS" } }) : 0,
  }),
);
