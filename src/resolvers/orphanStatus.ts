import type { Context } from "./context.ts";
import { wabaScope } from "./scope.ts";
import type { Page } from "./selection.ts";

/** The phone number, when the token may see its WABA: pending updates have no relation to scope through. */
async function visible(ctx: Context, phoneNumberId: string): Promise<boolean> {
  return (await ctx.db.phoneNumber.count({ where: { AND: [{ phoneNumberId }, wabaScope(ctx.principal)] } })) > 0;
}

/** `orphanStatuses(phoneNumberId)`: statuses still waiting for their message, oldest first. */
export async function orphanStatuses(query: Page<"PendingMessageUpdate">, args: { phoneNumberId: string }, ctx: Context) {
  if (!(await visible(ctx, args.phoneNumberId))) return [];
  return ctx.db.pendingMessageUpdate.findMany({
    ...query,
    where: { phoneNumberId: args.phoneNumberId, kind: "STATUS" },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
  });
}

export async function orphanStatusCount(args: { phoneNumberId: string }, ctx: Context) {
  return (await visible(ctx, args.phoneNumberId)) ? ctx.db.pendingMessageUpdate.count({ where: { phoneNumberId: args.phoneNumberId, kind: "STATUS" } }) : 0;
}
