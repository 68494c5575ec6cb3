import { builder } from "./builder.ts";
import { requirePower } from "./scope.ts";

export const DeliveryStatusEnum = builder.enumType("DeliveryStatus", {
  description: "RECEIVED: stored, not yet projected. PROCESSED: projected. FAILED: stored, projection failed (see error); kept for replay.",
  values: ["RECEIVED", "PROCESSED", "FAILED"] as const,
});

builder.prismaObject("WebhookDelivery", {
  description: "A POST Meta was answered 200 for. The body itself is not exposed (it can hold message text).",
  fields: (t) => ({
    id: t.exposeID("id"),
    contentHash: t.exposeString("contentHash"),
    receivedAt: t.expose("receivedAt", { type: "DateTime" }),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status as "RECEIVED" | "PROCESSED" | "FAILED" }),
    error: t.exposeString("error", { nullable: true }),
    fields: t.stringList({ resolve: (d) => (d.fields ? d.fields.split(",") : []) }),
    signatureScheme: t.exposeString("signatureScheme"),
    attempts: t.exposeInt("attempts"),
    processedAt: t.expose("processedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.queryField("webhookDeliveries", (t) =>
  t.prismaConnection({
    type: "WebhookDelivery",
    cursor: "id",
    description: "Stored deliveries, newest first. Needs a token with the admin power (a delivery can span WABAs).",
    args: { status: t.arg({ type: DeliveryStatusEnum, required: false }) },
    resolve: (query, _root, args, ctx) => {
      requirePower(ctx.principal, "admin");
      return ctx.db.webhookDelivery.findMany({
        ...query,
        where: args.status ? { status: args.status } : {},
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
    },
    totalCount: (_parent, args, ctx) => {
      requirePower(ctx.principal, "admin");
      return ctx.db.webhookDelivery.count({ where: args.status ? { status: args.status } : {} });
    },
  }),
);
