import type { TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { messageSourceColumn, messageStatusColumn } from "../storage/columns.ts";
import { placeholders, type Sql } from "../storage/sql.ts";

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

interface EventRow {
  id: string;
  threadId: string;
  phoneNumberId: string;
  source: string;
  status: string | null;
}

/**
 * sendChanged for several sends, one plain-SQL statement (published by the caller after the
 * commit): the worker reads these in every SENDING and answer commit, where a Prisma call costs
 * more than the statement (src/storage/sql.ts).
 */
export async function sendsChanged(sql: Sql, sends: readonly { messageId: string; wabaId: string }[]): Promise<TopicEvent<"message">[]> {
  if (sends.length === 0) return [];
  const byId = new Map<string, EventRow>();
  for (let i = 0; i < sends.length; i += 500) {
    const part = sends.slice(i, i + 500);
    const rows = await sql.all<EventRow>(
      `SELECT "id", "threadId", "phoneNumberId", "source", "status" FROM "Message" WHERE "id" IN (${placeholders(part.length)})`,
      part.map((s) => s.messageId),
    );
    for (const m of rows) byId.set(m.id, m);
  }
  return sends.flatMap((s) => {
    const m = byId.get(s.messageId);
    if (!m) return [];
    const event: TopicEvent<"message"> = {
      id: m.id,
      threadId: m.threadId,
      phoneNumberId: m.phoneNumberId,
      wabaId: s.wabaId,
      source: messageSourceColumn.read(m.source),
      change: "UPDATED",
      status: messageStatusColumn.read(m.status),
    };
    return [event];
  });
}
