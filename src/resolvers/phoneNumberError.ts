import type { Context } from "./context.ts";
import { phoneNumberScope } from "./scope.ts";
import type { Page } from "./selection.ts";

const where = (args: { phoneNumberId: string; code?: number | null }, ctx: Context) => ({
  AND: [{ phoneNumberId: args.phoneNumberId }, args.code == null ? {} : { code: args.code }, phoneNumberScope(ctx.principal)],
});

/** `phoneNumberErrors(phoneNumberId, code)`: newest first. */
export function phoneNumberErrors(query: Page<"PhoneNumberError">, args: { phoneNumberId: string; code?: number | null }, ctx: Context) {
  return ctx.db.phoneNumberError.findMany({ ...query, where: where(args, ctx), orderBy: [{ occurredAt: "desc" }, { id: "desc" }] });
}

export function phoneNumberErrorCount(args: { phoneNumberId: string; code?: number | null }, ctx: Context) {
  return ctx.db.phoneNumberError.count({ where: where(args, ctx) });
}
