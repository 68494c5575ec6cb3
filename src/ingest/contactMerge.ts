import { mergeContacts } from "../domain/contactIdentity.ts";
import { isLater } from "../domain/threadMirror.ts";
import type { Sql } from "../storage/sql.ts";
import type { Participant } from "./participant.ts";

/**
 * Two contacts turned out to be one person: the other's messages and identifiers move to the kept
 * contact's thread, the later of the two last messages stays last, and each address-book register
 * keeps the side that set it later. The other contact and its thread are deleted.
 */
export async function mergeInto(sql: Sql, kept: Participant, other: Participant): Promise<string[]> {
  const moved = await sql.all<{ id: string }>(`SELECT "id" FROM "Message" WHERE "threadId" = ?`, [other.thread.id]);
  await sql.run(`UPDATE "Message" SET "threadId" = ? WHERE "threadId" = ?`, [kept.thread.id, other.thread.id]);
  await sql.run(`UPDATE "ContactIdentity" SET "contactId" = ? WHERE "contactId" = ?`, [kept.contact.id, other.contact.id]);
  const otherLast = await sql.all<{ lastMessageId: string | null }>(`SELECT "lastMessageId" FROM "Thread" WHERE "id" = ?`, [other.thread.id]);
  await sql.run(`DELETE FROM "Thread" WHERE "id" = ?`, [other.thread.id]);
  const o = other.thread;
  if (o.lastMessageAt && o.lastWamid && isLater(o.lastMessageAt, o.lastWamid, kept.thread.lastMessageAt, kept.thread.lastWamid)) {
    const ts = sql.placeholder.timestamp;
    await sql.run(`UPDATE "Thread" SET "lastMessageAt" = ${ts}, "lastMessageId" = ? WHERE "id" = ?`, [
      o.lastMessageAt,
      otherLast[0]?.lastMessageId ?? null,
      kept.thread.id,
    ]);
    kept.thread.lastMessageAt = o.lastMessageAt;
    kept.thread.lastMessageId = otherLast[0]?.lastMessageId ?? null;
    kept.thread.lastWamid = o.lastWamid;
  }
  const merged = mergeContacts(kept.contact, other.contact);
  Object.assign(kept.contact, merged);
  const ts = sql.placeholder.timestamp;
  await sql.run(
    `UPDATE "Contact" SET "username" = ?, "parentUserId" = ?, "profileName" = ?, "fullName" = ?, "firstName" = ?, "removedAt" = ${ts}, "syncedAt" = ${ts}, "namesSyncedAt" = ${ts}, "updatedAt" = ${ts} WHERE "id" = ?`,
    [
      merged.username,
      merged.parentUserId,
      merged.profileName,
      merged.fullName,
      merged.firstName,
      merged.removedAt,
      merged.syncedAt,
      merged.namesSyncedAt,
      new Date(),
      kept.contact.id,
    ],
  );
  await sql.run(`DELETE FROM "Contact" WHERE "id" = ?`, [other.contact.id]);
  return moved.map((m) => m.id);
}
