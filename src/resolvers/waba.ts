import type { ConnectionState } from "../domain/accountEvents.ts";
import { canSend } from "../domain/connectionState.ts";
import { isProvisionalPhoneNumberId, digits } from "../domain/phoneNumbers.ts";
import { connectionStateColumn, restrictionsColumn } from "../storage/columns.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
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

/** `Waba.canSend` at this moment: the domain's rule over the stored state. */
export function wabaCanSendNow(w: { connectionState: string; banState: string | null; restrictions: unknown }): boolean {
  return canSend(
    { connectionState: connectionStateColumn.read(w.connectionState), banState: w.banState, restrictions: restrictionsColumn.read(w.restrictions) },
    new Date(),
  );
}

/** `Waba.phoneNumbers`: by display number, a number's provisional row hidden once Meta's id names it too. */
export async function wabaPhoneNumbers(w: { wabaId: string }, ctx: Context) {
  // Sorted here: the two databases place a null display number at opposite ends.
  const numbers = (await ctx.db.phoneNumber.findMany({ where: { wabaId: w.wabaId } })).sort(
    (a, b) => (a.displayPhoneNumber ?? "").localeCompare(b.displayPhoneNumber ?? "") || a.phoneNumberId.localeCompare(b.phoneNumberId),
  );
  // A number named by an account_update and by a mirror webhook at once (two batches racing)
  // can briefly be two rows; the one with Meta's id stands for both.
  const named = new Set(numbers.filter((n) => !isProvisionalPhoneNumberId(n.phoneNumberId)).map((n) => n.displayPhoneNumber && digits(n.displayPhoneNumber)));
  return numbers.filter((n) => !isProvisionalPhoneNumberId(n.phoneNumberId) || !named.has(n.displayPhoneNumber));
}

/** `wabaListed`: a WABA stored for the first time, once committed (only those the token may see). */
export function wabaListedEvents(ctx: Context) {
  return subscribeTo(ctx, "wabaListed", () => true);
}

export function wabaListedOf(query: Selection<"Waba">, event: TopicEvent<"wabaListed">, ctx: Context) {
  return reread(event, query, () => ctx.db.waba.findUniqueOrThrow({ ...query, where: { wabaId: event.wabaId } }));
}
