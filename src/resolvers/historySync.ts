import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
import { phoneNumberScope } from "./scope.ts";
import type { Selection } from "./selection.ts";

/** `historySync(phoneNumberId)`: null until Meta sent the number's first history webhook. */
export function historySync(query: Selection<"HistorySync">, args: { phoneNumberId: string }, ctx: Context) {
  return ctx.db.historySync.findFirst({ ...query, where: { AND: [{ phoneNumberId: args.phoneNumberId }, phoneNumberScope(ctx.principal)] } });
}

/** `historySyncProgress(phoneNumberId)`. */
export function historySyncEvents(args: { phoneNumberId: string }, ctx: Context) {
  return subscribeTo(ctx, "historySync", (e) => e.phoneNumberId === args.phoneNumberId);
}

export function historySyncOf(query: Selection<"HistorySync">, event: TopicEvent<"historySync">, ctx: Context) {
  return reread(event, query, () => ctx.db.historySync.findUniqueOrThrow({ ...query, where: { phoneNumberId: event.phoneNumberId } }));
}
