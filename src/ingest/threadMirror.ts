import { createHash, randomUUID } from "node:crypto";
import type {
  BusinessNumber,
  ContactInput,
  EditInput,
  HistoryChunkInput,
  HistoryDeclinedInput,
  IdentityChangeInput,
  MessageInput,
  MessageSource,
  MessageStatus,
  MirrorEvent,
  ReactionInput,
  RevokeInput,
  StatusInput,
  UserRef,
} from "../domain/mirrorEvents.ts";
import { messageStatusOf } from "../domain/mirrorEvents.ts";
import { applyReaction } from "../domain/reactions.ts";
import { fillReferrals } from "./referrals.ts";
import { applyEdit, contactUpdate, editShows, historyDeclined, historyProgress, mergeRepeatedMessage, nextStatus } from "../domain/threadMirror.ts";
import { Prisma } from "../storage/generated/prisma/client.ts";
import type { Tx } from "../storage/db.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { isLater, resolveParticipants, type Participants } from "./participants.ts";
import { statusBillingUpdate } from "./statusBilling.ts";
import { latestActivityByNumber, upsertPhoneNumber } from "./phoneNumbers.ts";
import type { Topics } from "../pubsub.ts";

export interface MirrorChanges {
  messages: Topics["message"][0][];
  historySyncs: Topics["historySync"][0][];
}

/**
 * Changes to a message that may arrive before it. A MessageInput without a user number is one:
 * Meta's history media for a business-sent placeholder can omit `to`, so only its wamid says
 * which thread it belongs to.
 */
type MessageUpdate = EditInput | RevokeInput | StatusInput | MessageInput | ReactionInput;

/** Rows per multi-row INSERT (bulkInsert) / IN list: large history chunks are written in bulk, within SQLite's variable limit. */
const BATCH = 500;

/**
 * Applies what one delivery says about threads, in the caller's transaction. Idempotent: wamid is
 * unique per phone number, repeated edits/statuses are recognised, chunks are recorded by identity.
 */
export async function applyMirrorEvents(tx: Tx, sql: Sql, events: readonly MirrorEvent[]): Promise<MirrorChanges> {
  const changes: MirrorChanges = { messages: [], historySyncs: [] };
  if (events.length === 0) return changes;

  const businesses = new Map<string, BusinessNumber>();
  for (const e of events) businesses.set(e.business.phoneNumberId, e.business);
  const activity = latestActivityByNumber(events);
  for (const b of businesses.values()) await upsertPhoneNumber(sql, b, activity.get(b.phoneNumberId) ?? null);
  const wabaOf = (phoneNumberId: string) => businesses.get(phoneNumberId)!.wabaId;

  const named = (u: UserRef) => u.waId !== null || u.userId !== null;
  const messages = events.filter((e): e is MessageInput => e.kind === "message" && named(e.user));
  const withoutThread = events.filter((e): e is MessageInput => e.kind === "message" && !named(e.user));
  const contacts = events.filter((e): e is ContactInput => e.kind === "contact");
  const identityChanges = events.filter((e): e is IdentityChangeInput => e.kind === "identityChange");
  const participants = await resolveParticipants(sql, [...messages, ...contacts, ...identityChanges]);
  await applyContacts(tx, contacts, participants);

  const created = await upsertMessages(tx, sql, messages, participants, changes, wabaOf);
  for (const m of await fillReferrals(tx, messages)) {
    changes.messages.push({ ...m, wabaId: wabaOf(m.phoneNumberId), change: "UPDATED", status: messageStatusOf(m.status) });
  }

  // Edits, revokes and statuses that were waiting for the messages just created.
  for (const [phoneNumberId, wamids] of groupBy(created, (m) => m.phoneNumberId, (m) => m.wamid)) {
    for (const part of chunk(wamids, BATCH)) {
      // Usually none: one cheap indexed lookup before asking Prisma for the rows.
      const waiting = await sql.all<{ id: string }>(
        `SELECT "id" FROM "PendingMessageUpdate" WHERE "phoneNumberId" = ? AND "targetWamid" IN (${placeholders(part.length)}) LIMIT 1`,
        [phoneNumberId, ...part],
      );
      if (waiting.length === 0) continue;
      const pending = await tx.pendingMessageUpdate.findMany({
        where: { phoneNumberId, targetWamid: { in: part } },
        orderBy: { occurredAt: "asc" },
      });
      for (const p of pending) {
        await applyMessageUpdate(tx, revive(p.payload as Record<string, unknown>), changes, wabaOf);
        await tx.pendingMessageUpdate.delete({ where: { id: p.id } });
      }
    }
  }

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
      changes.messages.push({ id: m.id, threadId: m.threadId, phoneNumberId: m.phoneNumberId, wabaId: wabaOf(m.phoneNumberId), source: m.source as MessageSource, change: "UPDATED", status: messageStatusOf(m.status) });
    }
  }

  for (const e of [...withoutThread, ...events.filter((e) => e.kind === "edit" || e.kind === "revoke" || e.kind === "status")]) {
    await applyMessageUpdate(tx, e as MessageUpdate, changes, wabaOf);
  }
  // Reactions attach to their target message (src/domain/reactions.ts), waiting for it like an edit.
  for (const e of events) if (e.kind === "reaction") await applyMessageUpdate(tx, e, changes, wabaOf);

  for (const e of events) {
    if (e.kind === "historyChunk") await recordChunk(tx, e);
    if (e.kind === "historyDeclined") await recordDeclined(tx, e);
    if (e.kind === "historyChunk" || e.kind === "historyDeclined") {
      changes.historySyncs.push({ phoneNumberId: e.business.phoneNumberId, wabaId: e.business.wabaId });
    }
  }
  changes.historySyncs = uniqueBy(changes.historySyncs, (h) => h.phoneNumberId);
  changes.messages = atCommit(changes.messages);
  return changes;
}

/**
 * Applies contact events in order to the loaded contacts and writes only the contacts that
 * changed: a profile name seen on every inbound message costs nothing once it is stored.
 */
async function applyContacts(tx: Tx, events: readonly ContactInput[], participants: Participants): Promise<void> {
  const changed = new Map<string, { id: string; data: NonNullable<ReturnType<typeof contactUpdate>> }>();
  for (const c of events) {
    const stored = participants.of(c.business.phoneNumberId, c.user)?.contact;
    if (!stored) continue;
    const k = stored.id;
    const update = contactUpdate(stored, c);
    if (!update) continue;
    const differs = (Object.keys(update) as (keyof typeof update)[]).some((f) => !sameValue(stored[f], update[f]));
    if (!differs) continue;
    Object.assign(stored, update);
    changed.set(k, { id: stored.id, data: { ...changed.get(k)?.data, ...update } });
  }
  for (const { id, data } of changed.values()) await tx.contact.update({ where: { id }, data });
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

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

interface CreatedMessage {
  phoneNumberId: string;
  wamid: string;
}

async function upsertMessages(
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

  for (const [phoneNumberId, list] of groupBy(messages, (m) => m.business.phoneNumberId, (m) => m)) {
    // The same wamid twice in one delivery: the first is stored, the rest merge into it below.
    const firsts = uniqueBy(list, (m) => m.wamid);
    for (const part of chunk(firsts, BATCH)) {
      const existing = new Set(
        (
          await sql.all<{ wamid: string }>(
            `SELECT "wamid" FROM "Message" WHERE "phoneNumberId" = ? AND "wamid" IN (${placeholders(part.length)})`,
            [phoneNumberId, ...part.map((m) => m.wamid)],
          )
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
      const update = mergeRepeatedMessage(stored, m);
      if (!update) continue;
      await tx.message.update({
        where: { id: stored.id },
        data: { ...update, content: update.content as Prisma.InputJsonValue | undefined },
      });
      changes.messages.push({
        id: stored.id,
        threadId: stored.threadId,
        phoneNumberId,
        wabaId: wabaOf(phoneNumberId),
        source: stored.source,
        change: "UPDATED",
        status: update.status ?? messageStatusOf(stored.status),
      });
    }
  }

  const moved = participants.all().map((p) => p.thread).flatMap((ref) => {
    const newest = latest.get(ref.id);
    return newest && isLater(newest.at, newest.wamid, ref.lastMessageAt, ref.lastWamid) ? [{ threadId: ref.id, at: newest.at, id: newest.id }] : [];
  });
  await setLastMessages(sql, moved);
  return created;
}

/** Every thread's new last message in one statement per chunk, instead of one update per thread. */
async function setLastMessages(sql: Sql, moved: readonly { threadId: string; at: Date; id: string }[]): Promise<void> {
  // PostgreSQL types a bound parameter in CASE as text; SQLite stores the value as Prisma does.
  const at = sql.provider === "postgresql" ? "?::timestamp(3)" : "?";
  for (const part of chunk(moved, BATCH)) {
    const whens = (value: string) => part.map(() => `WHEN ? THEN ${value}`).join(" ");
    await sql.run(
      `UPDATE "Thread" SET "lastMessageAt" = CASE "id" ${whens(at)} END, "lastMessageId" = CASE "id" ${whens("?")} END WHERE "id" IN (${placeholders(part.length)})`,
      [...part.flatMap((m) => [m.threadId, m.at]), ...part.flatMap((m) => [m.threadId, m.id]), ...part.map((m) => m.threadId)],
    );
  }
}

/** An edit, revoke or status: applied to its message, or kept until the message lands. */
async function applyMessageUpdate(
  tx: Tx,
  u: MessageUpdate,
  changes: MirrorChanges,
  wabaOf: (phoneNumberId: string) => string,
): Promise<void> {
  const phoneNumberId = u.business.phoneNumberId;
  const target = u.kind === "status" || u.kind === "message" ? u.wamid : u.originalWamid;
  const stored = await tx.message.findUnique({ where: { phoneNumberId_wamid: { phoneNumberId, wamid: target } } });
  if (!stored) {
    const id = createHash("sha256").update(JSON.stringify([u.kind, phoneNumberId, u.wamid, u.kind === "status" ? [u.status, u.timestamp] : null])).digest("hex");
    const exists = await tx.pendingMessageUpdate.findUnique({ where: { id }, select: { id: true } });
    if (!exists) {
      await tx.pendingMessageUpdate.create({
        data: { id, phoneNumberId, targetWamid: target, kind: u.kind.toUpperCase(), payload: u as unknown as Prisma.InputJsonValue, occurredAt: u.timestamp },
      });
    }
    return;
  }

  let data: Prisma.MessageUpdateInput | null = null;
  let shows = true;
  let status: MessageStatus | null = messageStatusOf(stored.status);
  if (u.kind === "message") {
    const merged = mergeRepeatedMessage(stored, u);
    if (merged) data = { ...merged, content: merged.content as Prisma.InputJsonValue | undefined };
    if (merged?.status) status = merged.status;
  } else if (u.kind === "status") {
    const next = nextStatus(stored.status, u.status);
    if (next) {
      status = next;
      data = { status: next, statusAt: u.timestamp };
      if (u.errors.length) data.errors = u.errors as unknown as Prisma.InputJsonValue;
    }
    // Pricing and conversation are kept even from a status that no longer moves the state.
    const billing = statusBillingUpdate(stored.billing, u);
    if (billing) data = { ...data, billing };
  } else if (u.kind === "reaction") {
    const reacted = applyReaction(stored.reactions, u);
    if (reacted) {
      data = { reactions: reacted.reactions };
      // A revoked message shows no reactions: storing one changes nothing visible.
      shows = reacted.shows && stored.revokedAt === null;
    }
  } else if (u.kind === "revoke") {
    // The content stays in storage (the business had received it); the API hides it.
    if (!stored.revokedAt) data = { revokedAt: u.timestamp };
  } else {
    const edited = applyEdit(stored, u);
    if (edited) {
      data = {
        type: edited.type,
        text: edited.text,
        content: edited.content as Prisma.InputJsonValue,
        editedAt: edited.editedAt,
        edits: edited.edits as unknown as Prisma.InputJsonValue,
      };
      shows = editShows(stored, edited);
    }
  }
  if (!data) return;
  await tx.message.update({ where: { id: stored.id }, data });
  if (shows) {
    changes.messages.push({ id: stored.id, threadId: stored.threadId, phoneNumberId, wabaId: wabaOf(phoneNumberId), source: stored.source, change: "UPDATED", status });
  }
}

/** A pending update's payload back into its input (dates were stored as ISO strings). */
function revive(payload: Record<string, unknown>): MessageUpdate {
  return { ...payload, timestamp: new Date(payload.timestamp as string) } as unknown as MessageUpdate;
}

async function recordChunk(tx: Tx, chunkInput: HistoryChunkInput): Promise<void> {
  const phoneNumberId = chunkInput.business.phoneNumberId;
  const stored = await tx.historySync.findUnique({ where: { phoneNumberId } });
  const now = new Date();
  const next = historyProgress(stored, chunkInput, now);
  const data = {
    status: next.status,
    progress: next.progress,
    chunks: next.chunks as unknown as Prisma.InputJsonValue,
    startedAt: next.startedAt,
    ...(next.complete && !stored?.completedAt ? { completedAt: now } : {}),
  };
  await tx.historySync.upsert({ where: { phoneNumberId }, create: { phoneNumberId, ...data }, update: data });
}

async function recordDeclined(tx: Tx, e: HistoryDeclinedInput): Promise<void> {
  const phoneNumberId = e.business.phoneNumberId;
  const stored = await tx.historySync.findUnique({ where: { phoneNumberId }, select: { startedAt: true } });
  const next = historyDeclined(stored, e, new Date());
  const data = { status: next.status, error: next.error as unknown as Prisma.InputJsonValue, startedAt: next.startedAt };
  await tx.historySync.upsert({ where: { phoneNumberId }, create: { phoneNumberId, ...data }, update: data });
}

function groupBy<T, V>(items: readonly T[], keyOf: (t: T) => string, valueOf: (t: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = groups.get(k);
    if (list) list.push(valueOf(item));
    else groups.set(k, [valueOf(item)]);
  }
  return groups;
}

function uniqueBy<T>(items: readonly T[], keyOf: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = keyOf(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One event per message for the whole commit, saying what the commit did: CREATED if it stored the
 * message (whatever it did to it afterwards), and the status the commit left it with (the last one
 * recorded, since changes are recorded in the order they are applied).
 */
function atCommit(messages: readonly Topics["message"][0][]): Topics["message"][0][] {
  const byId = new Map<string, Topics["message"][0]>();
  for (const m of messages) {
    const first = byId.get(m.id);
    byId.set(m.id, first ? { ...first, status: m.status, change: first.change === "CREATED" ? "CREATED" : m.change } : m);
  }
  return [...byId.values()];
}
