import type { TopicEvent } from "../pubsub.ts";
import type { KnownParticipant } from "./memory.ts";

/** What one delivery's mirror events changed, published after commit. */
export interface MirrorChanges {
  messages: TopicEvent<"message">[];
  historySyncs: TopicEvent<"historySync">[];
  wabasListed: TopicEvent<"wabaListed">[];
  /** The participants the transaction resolved, remembered once it commits (not published). */
  known: KnownParticipant[];
}

export function noMirrorChanges(): MirrorChanges {
  return { messages: [], historySyncs: [], wabasListed: [], known: [] };
}

/**
 * One event per message for the whole commit, saying what the commit did: CREATED if it stored the
 * message (whatever it did to it afterwards), and the status the commit left it with (the last one
 * recorded, since changes are recorded in the order they are applied).
 */
export function oneEventPerMessage(messages: readonly TopicEvent<"message">[]): TopicEvent<"message">[] {
  const byId = new Map<string, TopicEvent<"message">>();
  for (const m of messages) {
    const first = byId.get(m.id);
    byId.set(m.id, first ? { ...first, status: m.status, change: first.change === "CREATED" ? "CREATED" : m.change } : m);
  }
  return [...byId.values()];
}

/** The event of a stored message that a commit changed (rather than created), with the status the commit left it in. */
export function messageUpdated(
  stored: Pick<TopicEvent<"message">, "id" | "threadId" | "phoneNumberId" | "source">,
  wabaOf: (phoneNumberId: string) => string,
  status: TopicEvent<"message">["status"],
): TopicEvent<"message"> {
  const { id, threadId, phoneNumberId, source } = stored;
  return { id, threadId, phoneNumberId, wabaId: wabaOf(phoneNumberId), source, change: "UPDATED", status };
}
