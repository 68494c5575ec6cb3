import type { Topics } from "../pubsub.ts";
import type { WabaListed } from "./wabas.ts";

/** What one delivery's mirror events changed, published after commit. */
export interface MirrorChanges {
  messages: Topics["message"][0][];
  historySyncs: Topics["historySync"][0][];
  wabasListed: WabaListed[];
}

/**
 * One event per message for the whole commit, saying what the commit did: CREATED if it stored the
 * message (whatever it did to it afterwards), and the status the commit left it with (the last one
 * recorded, since changes are recorded in the order they are applied).
 */
export function atCommit(messages: readonly Topics["message"][0][]): Topics["message"][0][] {
  const byId = new Map<string, Topics["message"][0]>();
  for (const m of messages) {
    const first = byId.get(m.id);
    byId.set(m.id, first ? { ...first, status: m.status, change: first.change === "CREATED" ? "CREATED" : m.change } : m);
  }
  return [...byId.values()];
}

type MessageEvent = Topics["message"][0];

/** The event of a stored message that a commit changed (rather than created), with the status the commit left it in. */
export function messageUpdated(
  stored: Pick<MessageEvent, "id" | "threadId" | "phoneNumberId" | "source">,
  wabaOf: (phoneNumberId: string) => string,
  status: MessageEvent["status"],
): MessageEvent {
  const { id, threadId, phoneNumberId, source } = stored;
  return { id, threadId, phoneNumberId, wabaId: wabaOf(phoneNumberId), source, change: "UPDATED", status };
}
