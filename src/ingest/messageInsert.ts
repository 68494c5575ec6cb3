import { randomUUID } from "node:crypto";
import type { MessageInput } from "../domain/mirrorEvents.ts";
import { isLater, mergeRepeatedMessage } from "../domain/threadMirror.ts";
import type { Prisma } from "../storage/generated/prisma/client.ts";
import type { Tx } from "../storage/client.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { messageStatusColumn } from "../storage/columns.ts";
import type { Participants } from "./participants.ts";
import { BATCH, chunk, groupBy, uniqueBy } from "./groups.ts";
import { messageUpdated, type MirrorChanges } from "./mirrorChanges.ts";

const MESSAGE_COLUMNS = {
  id: "text",
  phoneNumberId: "text",
  wamid: "text",
  threadId: "text",
  direction: "text",
  source: "text",
  type: "text",
  text: "text",
  content: "json",
  timestamp: "timestamp",
  status: "text",
  errors: "json",
  referral: "json",
  createdAt: "timestamp",
  updatedAt: "timestamp",
} as const;

export interface CreatedMessage {
  phoneNumberId: string;
  wamid: string;
}

/** New messages in bulk, repeats merged into the stored ones, and each thread's last message moved. */
export async function upsertMessages(
  tx: Tx,
  sql: Sql,
  messages: readonly MessageInput[],
  participants: Participants,
  changes: MirrorChanges,
  wabaOf: (phoneNumberId: string) => string,
): Promise<CreatedMessage[]> {
  const created: CreatedMessage[] = [];
  const latest = new Map<string, { at: Date; id: string; wamid: string }>();
  const now = new Date();

  for (const [phoneNumberId, list] of groupBy(
    messages,
    (m) => m.business.phoneNumberId,
    (m) => m,
  )) {
    // The same wamid twice in one delivery: the first is stored, the rest merge into it below.
    const firsts = uniqueBy(list, (m) => m.wamid);
    for (const part of chunk(firsts, BATCH)) {
      const existing = new Set(
        (
          await sql.all<{ wamid: string }>(`SELECT "wamid" FROM "Message" WHERE "phoneNumberId" = ? AND "wamid" IN (${placeholders(part.length)})`, [
            phoneNumberId,
            ...part.map((m) => m.wamid),
          ])
        ).map((m) => m.wamid),
      );
      const rows: Record<string, unknown>[] = [];
      for (const m of part) {
        if (existing.has(m.wamid)) continue;
        const thread = participants.of(phoneNumberId, m.user)!.thread;
        const id = randomUUID();
        rows.push({
          id,
          phoneNumberId,
          wamid: m.wamid,
          threadId: thread.id,
          direction: m.direction,
          source: m.source,
          type: m.type,
          text: m.text,
          content: m.content,
          timestamp: m.timestamp,
          status: m.status,
          errors: m.errors.length ? m.errors : null,
          referral: m.referral,
          createdAt: now,
          updatedAt: now,
        });
        created.push({ phoneNumberId, wamid: m.wamid });
        changes.messages.push({ id, threadId: thread.id, phoneNumberId, wabaId: wabaOf(phoneNumberId), source: m.source, change: "CREATED", status: m.status });
        const last = latest.get(thread.id);
        if (!last || isLater(m.timestamp, m.wamid, last.at, last.wamid)) latest.set(thread.id, { at: m.timestamp, id, wamid: m.wamid });
      }
      await bulkInsert(sql, "Message", MESSAGE_COLUMNS, rows);
    }

    // Messages already stored (live and in history, placeholder media, repeats inside the delivery).
    const createdHere = new Set(created.filter((c) => c.phoneNumberId === phoneNumberId).map((c) => c.wamid));
    const firstSeen = new Set<string>();
    const repeats = list.filter((m) => {
      const first = !firstSeen.has(m.wamid);
      firstSeen.add(m.wamid);
      return !first || !createdHere.has(m.wamid);
    });
    for (const m of repeats) {
      const stored = await tx.message.findUnique({ where: { phoneNumberId_wamid: { phoneNumberId, wamid: m.wamid } } });
      if (!stored) continue;
      const status = messageStatusColumn.read(stored.status);
      const update = mergeRepeatedMessage({ ...stored, status }, m);
      if (!update) continue;
      await tx.message.update({
        where: { id: stored.id },
        data: { ...update, content: update.content as Prisma.InputJsonValue | undefined },
      });
      changes.messages.push(messageUpdated(stored, wabaOf, update.status ?? status));
    }
  }

  const moved = participants
    .all()
    .map((p) => p.thread)
    .flatMap((ref) => {
      const newest = latest.get(ref.id);
      return newest && isLater(newest.at, newest.wamid, ref.lastMessageAt, ref.lastWamid) ? [{ threadId: ref.id, at: newest.at, id: newest.id }] : [];
    });
  await setLastMessages(sql, moved);
  return created;
}

/** Every thread's new last message in one statement per chunk, instead of one update per thread. */
async function setLastMessages(sql: Sql, moved: readonly { threadId: string; at: Date; id: string }[]): Promise<void> {
  // PostgreSQL types a bound parameter in CASE as text; SQLite stores the value as Prisma does.
  const at = sql.placeholder.timestamp;
  for (const part of chunk(moved, BATCH)) {
    const whens = (value: string) => part.map(() => `WHEN ? THEN ${value}`).join(" ");
    await sql.run(
      `UPDATE "Thread" SET "lastMessageAt" = CASE "id" ${whens(at)} END, "lastMessageId" = CASE "id" ${whens("?")} END WHERE "id" IN (${placeholders(part.length)})`,
      [...part.flatMap((m) => [m.threadId, m.at]), ...part.flatMap((m) => [m.threadId, m.id]), ...part.map((m) => m.threadId)],
    );
  }
}
