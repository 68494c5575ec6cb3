import type { BusinessNumber, ContactInput, IdentityChangeInput, MessageInput, MirrorEvent, UserRef } from "../domain/mirrorEvents.ts";
import { fillReferrals } from "./referrals.ts";
import type { Tx } from "../storage/client.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { messageStatusColumn } from "../storage/columns.ts";
import { resolveParticipants } from "./participants.ts";
import type { IngestMemory } from "./memory.ts";
import { latestActivityByNumber, upsertPhoneNumber } from "./phoneNumbers.ts";
import { appActivityByNumber } from "../domain/inactivity.ts";
import { listWabas } from "./wabas.ts";
import { BATCH, chunk, uniqueBy } from "./groups.ts";
import { applyContacts } from "./contacts.ts";
import { upsertMessages } from "./messageInsert.ts";
import { applyMessageUpdates, applyPendingUpdates, type MessageUpdate } from "./messageUpdates.ts";
import { recordChunk, recordDeclined } from "./historySync.ts";
import { messageUpdated, noMirrorChanges, oneEventPerMessage, type MirrorChanges } from "./mirrorChanges.ts";

/**
 * Applies what one delivery says about threads, in the caller's transaction. Idempotent: wamid is
 * unique per phone number, repeated edits/statuses are recognised, chunks are recorded by identity.
 */
export async function applyMirrorEvents(tx: Tx, sql: Sql, events: readonly MirrorEvent[], memory?: IngestMemory): Promise<MirrorChanges> {
  const changes: MirrorChanges = noMirrorChanges();
  if (events.length === 0) return changes;

  const businesses = new Map<string, BusinessNumber>();
  for (const e of events) businesses.set(e.business.phoneNumberId, e.business);
  const activity = latestActivityByNumber(events);
  const appActivity = appActivityByNumber(events);
  // The upsert says whether the number's WABA is stored: a WABA is inserted only when it is not.
  const unlisted: string[] = [];
  for (const b of businesses.values()) {
    const id = b.phoneNumberId;
    if ((await upsertPhoneNumber(sql, b, activity.get(id) ?? null, appActivity.get(id) ?? null)).wabaMissing) unlisted.push(b.wabaId);
  }
  changes.wabasListed = await listWabas(sql, unlisted);
  const wabaOf = (phoneNumberId: string) => businesses.get(phoneNumberId)!.wabaId;

  const named = (u: UserRef) => u.waId !== null || u.userId !== null;
  const messages = events.filter((e): e is MessageInput => e.kind === "message" && named(e.user));
  const withoutThread = events.filter((e): e is MessageInput => e.kind === "message" && !named(e.user));
  const contacts = events.filter((e): e is ContactInput => e.kind === "contact");
  const identityChanges = events.filter((e): e is IdentityChangeInput => e.kind === "identityChange");
  const participants = await resolveParticipants(sql, [...messages, ...contacts, ...identityChanges], memory);
  await applyContacts(sql, contacts, participants);

  const created = await upsertMessages(tx, sql, messages, participants, changes, wabaOf);
  for (const m of await fillReferrals(tx, messages)) {
    changes.messages.push(messageUpdated(m, wabaOf, messageStatusColumn.read(m.status)));
  }

  await applyPendingUpdates(tx, sql, created, changes, wabaOf);

  // A message shows its thread's user: when that user now reads differently, so does every message of the thread.
  const { threadIds, messageIds } = participants.reidentified();
  const reread = [
    ...chunk(threadIds, BATCH).map((part) => [`"threadId" IN (${placeholders(part.length)})`, part] as const),
    ...chunk(messageIds, BATCH).map((part) => [`"id" IN (${placeholders(part.length)})`, part] as const),
  ];
  for (const [where, part] of reread) {
    const moved = await sql.all<{ id: string; threadId: string; phoneNumberId: string; source: string; status: string | null }>(
      `SELECT "id", "threadId", "phoneNumberId", "source", "status" FROM "Message" WHERE ${where}`,
      part,
    );
    for (const m of moved) {
      changes.messages.push(messageUpdated(m, wabaOf, messageStatusColumn.read(m.status)));
    }
  }

  // Reactions attach to their target message (src/domain/reactions.ts), waiting for it like an edit; after the rest.
  await applyMessageUpdates(
    sql,
    [
      ...withoutThread,
      ...events.filter((e): e is MessageUpdate => e.kind === "edit" || e.kind === "revoke" || e.kind === "status"),
      ...events.filter((e): e is MessageUpdate => e.kind === "reaction"),
    ],
    changes,
    wabaOf,
  );

  for (const e of events) {
    if (e.kind === "historyChunk") await recordChunk(sql, e);
    if (e.kind === "historyDeclined") await recordDeclined(sql, e);
    if (e.kind === "historyChunk" || e.kind === "historyDeclined") {
      changes.historySyncs.push({ phoneNumberId: e.business.phoneNumberId, wabaId: e.business.wabaId });
    }
  }
  changes.historySyncs = uniqueBy(changes.historySyncs, (h) => h.phoneNumberId);
  changes.messages = oneEventPerMessage(changes.messages);
  changes.known = participants.known();
  return changes;
}
