import { DELIVERY_STATUSES, type FailedItem } from "../domain/deliveryStatus.ts";
import { deliveryStatusColumn, failedItemsColumn } from "../storage/columns.ts";
import { builder } from "./builder.ts";
import { LIST_CAPS, capped, firstOf } from "./listBounds.ts";
import { deliveryEvents, deliveryOf, webhookDeliveries, webhookDeliveryCount } from "../resolvers/delivery.ts";
import { wabaScope } from "../resolvers/scope.ts";

export const DeliveryStatusEnum = builder.enumType("DeliveryStatus", {
  description:
    "RECEIVED: stored, not yet projected. PROCESSED: projected. PARTIAL: projected except the items in failedItems (kept for replay). FAILED: stored, projection failed (see error); kept for replay.",
  values: DELIVERY_STATUSES,
});

const FailedItemRef = builder.objectRef<FailedItem>("FailedItem").implement({
  description: "A change, message, status or contact of a delivery that could not be read; the rest of the delivery was applied.",
  fields: (t) => ({
    path: t.exposeString("path", { description: "Where in the payload, e.g. entry[0].changes[0].value.messages[2]." }),
    error: t.exposeString("error"),
  }),
});

builder.prismaObject("WebhookDelivery", {
  description: "A POST Meta was answered 200 for. The body itself is not exposed (it can hold message text).",
  fields: (t) => ({
    id: t.exposeID("id"),
    contentHash: t.exposeString("contentHash"),
    receivedAt: t.expose("receivedAt", { type: "DateTime" }),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => deliveryStatusColumn.read(d.status) }),
    error: t.exposeString("error", { nullable: true }),
    failedItems: t.field({
      type: [FailedItemRef],
      ...capped(LIST_CAPS.failedItems, "PARTIAL: each item that could not be read, with its path and error, in payload order; the first kept."),
      resolve: (d) => firstOf(LIST_CAPS.failedItems, failedItemsColumn.read(d.failedItems)),
    }),
    fields: t.stringList({
      ...capped(LIST_CAPS.deliveryFields, "The change fields the delivery carried."),
      resolve: (d) => firstOf(LIST_CAPS.deliveryFields, d.fields ? d.fields.split(",") : []),
    }),
    signatureScheme: t.exposeString("signatureScheme"),
    attempts: t.exposeInt("attempts"),
    processedAt: t.expose("processedAt", { type: "DateTime", nullable: true }),
    phoneNumberErrors: t.relation("phoneNumberErrors", {
      ...capped(
        LIST_CAPS.phoneNumberErrors,
        "The value.errors the delivery carried (errors Meta reports for a phone number), of the WABAs the token sees, oldest first; the first kept.",
      ),
      // A delivery can span WABAs: its rows are filtered like a root field's (issue #18).
      query: (_args, ctx) => ({ where: wabaScope(ctx.principal), orderBy: [{ occurredAt: "asc" }, { id: "asc" }], take: LIST_CAPS.phoneNumberErrors }),
    }),
  }),
});

builder.queryField("webhookDeliveries", (t) =>
  t.prismaConnection({
    type: "WebhookDelivery",
    cursor: "id",
    description: "Stored deliveries, newest first. Needs a token with the admin power (a delivery can span WABAs).",
    args: { status: t.arg({ type: DeliveryStatusEnum, required: false }) },
    resolve: (query, _root, args, ctx) => webhookDeliveries(query, args, ctx),
    totalCount: (_parent, args, ctx) => webhookDeliveryCount(args, ctx),
  }),
);

builder.subscriptionField("deliveryRecorded", (t) =>
  t.prismaField({
    type: "WebhookDelivery",
    description:
      "A delivery once its POST is answered (projected, partly applied or failed), or once replayed, as stored then. " +
      "Needs a token with the admin power, like webhookDeliveries.",
    subscribe: (_root, _args, ctx) => deliveryEvents(ctx),
    resolve: (query, event, _args, ctx) => deliveryOf(query, event, ctx),
  }),
);
