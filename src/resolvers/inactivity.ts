import { inactivityRisk } from "../domain/inactivity.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { Selection } from "./selection.ts";

/** `PhoneNumber.inactivityRisk`: at the time of the request, with the configured thresholds. */
export function phoneNumberInactivityRisk(n: { lastAppActivityAt: Date | null }, ctx: Context) {
  return inactivityRisk(n.lastAppActivityAt, new Date(), ctx.inactivity);
}

/** `inactivityLevels(wabaId)`: a number whose level moved. */
export function inactivityEvents(args: { wabaId?: string | null }, ctx: Context) {
  return subscribeTo(ctx, "inactivity", (e) => !args.wabaId || e.wabaId === args.wabaId);
}

export function inactivityOf(query: Selection<"PhoneNumber">, event: TopicEvent<"inactivity">, ctx: Context) {
  return reread(event, query, () => ctx.db.phoneNumber.findUniqueOrThrow({ ...query, where: { phoneNumberId: event.phoneNumberId } }));
}
