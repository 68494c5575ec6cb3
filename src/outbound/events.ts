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
