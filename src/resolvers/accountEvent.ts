import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Selection } from "./selection.ts";

/** `accountEvents(wabaId)`: each stored once; an account event never changes, so the re-read is what was committed. */
export function accountEventEvents(args: { wabaId?: string | null }, ctx: Context) {
  return subscribeTo(ctx, "accountEvent", (e) => !args.wabaId || e.wabaId === args.wabaId);
}

export function accountEventOf(query: Selection<"AccountEvent">, event: TopicEvent<"accountEvent">, ctx: Context) {
  return reread(event, query, () => ctx.db.accountEvent.findUniqueOrThrow({ ...query, where: { id: event.id } }));
}
