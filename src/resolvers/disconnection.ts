import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Selection } from "./selection.ts";

/** `disconnections(wabaId)`: opened or resolved, once committed. */
export function disconnectionEvents(args: { wabaId?: string | null }, ctx: Context) {
  return subscribeTo(ctx, "disconnection", (e) => !args.wabaId || e.wabaId === args.wabaId);
}

export function disconnectionOf(query: Selection<"Disconnection">, event: TopicEvent<"disconnection">, ctx: Context) {
  return reread(event, query, () => ctx.db.disconnection.findUniqueOrThrow({ ...query, where: { id: event.id } }), { change: event.change });
}
