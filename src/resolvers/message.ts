import { changedIdentifier, decodeIdentityChange } from "../domain/identityChange.ts";
import { messageDetails } from "../domain/messageDetails.ts";
import { messageContentColumn } from "../storage/columns.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import type { TopicEvent } from "../pubsub.ts";
import type { Selection } from "./selection.ts";

/** `messages(wabaId, threadId)`: new and changed messages of every source. */
export function messageEvents(args: { wabaId?: string | null; threadId?: string | number | null }, ctx: Context) {
  return subscribeTo(ctx, "message", (e) => (!args.wabaId || e.wabaId === args.wabaId) && (!args.threadId || e.threadId === String(args.threadId)));
}

/** `messageEchoes(wabaId, phoneNumberId)`: what the business sent from the app or a companion device. */
export function echoEvents(args: { wabaId?: string | null; phoneNumberId?: string | null }, ctx: Context) {
  return subscribeTo(
    ctx,
    "message",
    (e) => e.source === "ECHO" && (!args.wabaId || e.wabaId === args.wabaId) && (!args.phoneNumberId || e.phoneNumberId === args.phoneNumberId),
  );
}

export function messageOf(query: Selection<"Message">, event: TopicEvent<"message">, ctx: Context) {
  return reread(event, query, () => ctx.db.message.findUniqueOrThrow({ ...query, where: { id: event.id } }), {
    change: event.change,
    status: event.status,
  });
}

/** A stored message's kind and detail, decoded from its content as the webhook parsers read it. */
export function detailsOf(m: { type: string; content: unknown }) {
  return messageDetails(m.type, messageContentColumn.read(m.content));
}

/** The identity change a stored system message records, or null (src/domain/identityChange.ts). */
export function identityChangeOf(m: { type: string; content: unknown }) {
  const decoded = decodeIdentityChange({ ...messageContentColumn.read(m.content), type: m.type });
  return decoded && changedIdentifier(decoded);
}
