import type { MessageInput } from "../domain/mirrorEvents.ts";
import { isLater, mergeRepeatedMessage } from "../domain/threadMirror.ts";
import type { Tx } from "../storage/client.ts";
import { bulkInsertReturning } from "../storage/bulkInsert.ts";
import { newRowId } from "../storage/rowId.ts";
import type { Sql } from "../storage/sql.ts";
import { updateRows } from "../storage/rowUpdate.ts";
import { messageContentColumn, messageStatusColumn } from "../storage/columns.ts";
import type { Participants } from "./participants.ts";
import { BATCH, chunk, groupBy, uniqueBy } from "./groups.ts";
import { messageUpdated, type MirrorChanges } from "./mirrorChanges.ts";
import { StaleMemory, threadFingerprint } from "./memory.ts";
import { checkGuesses } from "./rememberedParticipants.ts";

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
  /** A pending update (edit, status, reaction) was stored for it before it landed. */
  waiting: boolean;
}

const INSERTED = `ON CONFLICT ("phoneNumberId", "wamid") DO NOTHING RETURNING "wamid", "threadId",
  EXISTS (SELECT 1 FROM "PendingMessageUpdate" p WHERE p."phoneNumberId" = "Message"."phoneNumberId" AND p."targetWamid" = "Message"."wamid") AS "waiting"`;
/** The same, also returning each thread's fingerprint, to check participants taken from memory against. */
const INSERTED_CHECKED = `${INSERTED}, ${threadFingerprint(`"Message"."threadId"`)} AS "fingerprint"`;

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
  // Participants taken from memory: each checked by the insert of one of its messages, the rest after.
  const guesses = new Map(participants.guessed());
  const check = (threadId: string, fingerprint: string | null | undefined) => {
    const expected = guesses.get(threadId);
    if (expected === undefined) return;
    if (expected !== fingerprint) throw new StaleMemory();
    guesses.delete(threadId);
  };
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
      const rows = part.map((m) => ({
        id: newRowId(),
        phoneNumberId,
        wamid: m.wamid,
        threadId: participants.of(phoneNumberId, m.user)!.thread.id,
        direction: m.direction,
        source: m.source,
        type: m.type,
        text: m.text,
        content: messageContentColumn.write(m.content),
        timestamp: m.timestamp,
        status: m.status,
        errors: m.errors.length ? m.errors : null,
        referral: m.referral,
        createdAt: now,
        updatedAt: now,
      }));
      // One statement stores the new ones, says which they were (a stored wamid is skipped and merged
      // below) and whether an edit, status or reaction is waiting for each (usually none).
      const returned = await bulkInsertReturning<{ wamid: string; threadId: string; waiting: unknown; fingerprint?: string | null }>(
        sql,
        "Message",
        MESSAGE_COLUMNS,
        rows,
        guesses.size ? INSERTED_CHECKED : INSERTED,
      );
      for (const r of returned) check(r.threadId, r.fingerprint);
      const inserted = new Map(returned.map((r) => [r.wamid, r.waiting === true || r.waiting === 1]));
      for (const [i, m] of part.entries()) {
        const waiting = inserted.get(m.wamid);
        if (waiting === undefined) continue;
        const { id, threadId } = rows[i]!;
        created.push({ phoneNumberId, wamid: m.wamid, waiting });
        changes.messages.push({ id, threadId, phoneNumberId, wabaId: wabaOf(phoneNumberId), source: m.source, change: "CREATED", status: m.status });
        const last = latest.get(threadId);
        if (!last || isLater(m.timestamp, m.wamid, last.at, last.wamid)) latest.set(threadId, { at: m.timestamp, id, wamid: m.wamid });
      }
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
        data: { ...update, content: update.content && messageContentColumn.write(update.content) },
      });
      changes.messages.push(messageUpdated(stored, wabaOf, update.status ?? status));
    }
  }

  // Before anything is decided on a remembered thread's last message.
  await checkGuesses(sql, guesses);
  const moved = participants
    .all()
    .map((p) => p.thread)
    .flatMap((ref) => {
      const newest = latest.get(ref.id);
      return newest && isLater(newest.at, newest.wamid, ref.lastMessageAt, ref.lastWamid) ? [{ ref, threadId: ref.id, ...newest }] : [];
    });
  await setLastMessages(sql, moved);
  // The refs now say what is stored (what the ingest remembers after the commit).
  for (const m of moved) Object.assign(m.ref, { lastMessageAt: m.at, lastMessageId: m.id, lastWamid: m.wamid });
  return created;
}

/** Every thread's new last message: one statement per row on SQLite, one per chunk on PostgreSQL (rowUpdate.ts). */
async function setLastMessages(sql: Sql, moved: readonly { threadId: string; at: Date; id: string }[]): Promise<void> {
  await updateRows(
    sql,
    "Thread",
    THREAD_LAST_MESSAGE,
    moved.map((m) => ({ id: m.threadId, values: { lastMessageAt: m.at, lastMessageId: m.id } })),
  );
}

const THREAD_LAST_MESSAGE = { lastMessageAt: "timestamp", lastMessageId: "text" } as const;
