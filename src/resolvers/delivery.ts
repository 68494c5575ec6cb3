import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import { reread } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Page, Selection } from "./selection.ts";

/** `webhookDeliveries(status)`: newest first; admin only (a delivery can span WABAs). */
export function webhookDeliveries(query: Page<"WebhookDelivery">, args: { status?: string | null }, ctx: Context) {
  requirePower(ctx.principal, "admin");
  return ctx.db.webhookDelivery.findMany({
    ...query,
    where: args.status ? { status: args.status } : {},
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
  });
}

export function webhookDeliveryCount(args: { status?: string | null }, ctx: Context) {
  requirePower(ctx.principal, "admin");
  return ctx.db.webhookDelivery.count({ where: args.status ? { status: args.status } : {} });
}

/** `deliveryRecorded`: admin only, like the deliveries themselves (checked once, when the subscription starts). */
export function deliveryEvents(ctx: Context) {
  requirePower(ctx.principal, "admin");
  return ctx.pubsub.subscribe("delivery");
}

export function deliveryOf(query: Selection<"WebhookDelivery">, event: TopicEvent<"delivery">, ctx: Context) {
  return reread(event, query, () => ctx.db.webhookDelivery.findUniqueOrThrow({ ...query, where: { id: event.id } }));
}
