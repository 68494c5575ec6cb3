import { pendingUpdateColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { MessageStatusEnum } from "./message.ts";
import { MessageConversationRef, MessagePricingRef } from "./messageBilling.ts";
import { orphanStatusCount, orphanStatuses } from "../resolvers/orphanStatus.ts";

/** The status a pending STATUS update holds (the root fields list only those). */
function statusOf(p: { payload: unknown }) {
  const update = pendingUpdateColumn.read(p.payload);
  return update.kind === "status" ? update : null;
}

builder.prismaObject("PendingMessageUpdate", {
  name: "OrphanStatus",
  description:
    "A status whose message the hub has not seen (typically a message another app sent through the Cloud API). Applied if the message arrives; deleted after PENDING_UPDATE_MAX_AGE_DAYS.",
  fields: (t) => ({
    id: t.exposeID("id"),
    phoneNumberId: t.exposeString("phoneNumberId"),
    wamid: t.exposeString("targetWamid", { description: "The message the status is about." }),
    status: t.field({ type: MessageStatusEnum, nullable: true, resolve: (p) => statusOf(p)?.status ?? null }),
    timestamp: t.expose("occurredAt", { type: "DateTime", description: "The status's own time." }),
    recipientWaId: t.string({ nullable: true, resolve: (p) => statusOf(p)?.user.waId ?? null }),
    recipientUserId: t.string({ nullable: true, resolve: (p) => statusOf(p)?.user.userId ?? null }),
    pricing: t.field({ type: MessagePricingRef, nullable: true, resolve: (p) => statusOf(p)?.pricing ?? null }),
    conversation: t.field({ type: MessageConversationRef, nullable: true, resolve: (p) => statusOf(p)?.conversation ?? null }),
    receivedAt: t.expose("createdAt", { type: "DateTime", description: "When the hub received it." }),
    ageSeconds: t.int({
      description: "How long it has waited for its message, in seconds (pruned at PENDING_UPDATE_MAX_AGE_DAYS).",
      resolve: (p) => Math.max(0, Math.floor((Date.now() - p.createdAt.getTime()) / 1000)),
    }),
  }),
});

builder.queryField("orphanStatuses", (t) =>
  t.prismaConnection({
    type: "PendingMessageUpdate",
    cursor: "id",
    description: "Statuses still waiting for a message the hub has not seen, oldest first.",
    args: { phoneNumberId: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => orphanStatuses(query, args, ctx),
    totalCount: (_parent, args, ctx) => orphanStatusCount(args, ctx),
  }),
);
