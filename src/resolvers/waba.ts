import type { ConnectionState } from "../domain/accountEvents.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo, type Published } from "./published.ts";
import { wabaScope } from "./scope.ts";
import type { Page, Selection } from "./selection.ts";

/** `waba(wabaId)`. */
export function waba(query: Selection<"Waba">, args: { wabaId: string }, ctx: Context) {
  return ctx.db.waba.findFirst({ ...query, where: { AND: [{ wabaId: args.wabaId }, wabaScope(ctx.principal)] } });
}

/** `wabas(state)`: by WABA id. */
export function wabas(query: Page<"Waba">, args: { state?: ConnectionState | null }, ctx: Context) {
  return ctx.db.waba.findMany({
    ...query,
    where: { AND: [args.state ? { connectionState: args.state } : {}, wabaScope(ctx.principal)] },
    orderBy: { wabaId: "asc" },
  });
}

/** `wabaListed`: a WABA stored for the first time, once committed (only those the token may see). */
export function wabaListedEvents(ctx: Context) {
  return subscribeTo(ctx, "wabaListed", () => true);
}

export function wabaListedOf(query: Selection<"Waba">, event: Published<"wabaListed">, ctx: Context) {
  return reread(event, query, () => ctx.db.waba.findUniqueOrThrow({ ...query, where: { wabaId: event.wabaId } }));
}
