import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import type { Page } from "./selection.ts";

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
