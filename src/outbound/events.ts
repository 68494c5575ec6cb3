import type { TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { messageStatusColumn } from "../storage/columns.ts";

/** The `messages` event of a sent message whose send changed (published by the caller after the commit). */
export async function sendChanged(tx: Tx, messageId: string, wabaId: string): Promise<TopicEvent<"message">> {
  const m = await tx.message.findUniqueOrThrow({
    where: { id: messageId },
    select: { id: true, threadId: true, phoneNumberId: true, source: true, status: true },
  });
  return {
    id: m.id,
    threadId: m.threadId,
    phoneNumberId: m.phoneNumberId,
    wabaId,
    source: m.source,
    change: "UPDATED",
    status: messageStatusColumn.read(m.status),
  };
}

/** sendChanged for several sends, one query (published by the caller after the commit). */
export async function sendsChanged(tx: Tx, sends: readonly { messageId: string; wabaId: string }[]): Promise<TopicEvent<"message">[]> {
  if (sends.length === 0) return [];
  const rows = await tx.message.findMany({
    where: { id: { in: sends.map((s) => s.messageId) } },
    select: { id: true, threadId: true, phoneNumberId: true, source: true, status: true },
  });
  const byId = new Map(rows.map((m) => [m.id, m] as const));
  return sends.flatMap((s) => {
    const m = byId.get(s.messageId);
    if (!m) return [];
    const event: TopicEvent<"message"> = {
      id: m.id,
      threadId: m.threadId,
      phoneNumberId: m.phoneNumberId,
      wabaId: s.wabaId,
      source: m.source,
      change: "UPDATED",
      status: messageStatusColumn.read(m.status),
    };
    return [event];
  });
}
