import { createHash } from "node:crypto";
import type { EditInput, MessageInput, ReactionInput, RevokeInput, StatusInput } from "../domain/mirrorEvents.ts";
import type { MessageStatus } from "../domain/messageStatus.ts";
import { applyReaction } from "../domain/reactions.ts";
import { applyEdit, editShows, mergeRepeatedMessage, nextStatus } from "../domain/threadMirror.ts";
import type { Message, Prisma } from "../storage/generated/prisma/client.ts";
import { bulkInsert } from "../storage/bulkInsert.ts";
import { updateRows } from "../storage/rowUpdate.ts";
import type { Tx } from "../storage/client.ts";
import { placeholders, storedJson, toDate, type Sql } from "../storage/sql.ts";
import { editsColumn, messageContentColumn, messageStatusColumn, pendingUpdateColumn, reactionsColumn } from "../storage/columns.ts";
import { statusBillingUpdate } from "./statusBilling.ts";
import { BATCH, chunk, groupBy } from "./groups.ts";
import type { CreatedMessage } from "./messageInsert.ts";
import { messageUpdated, type MirrorChanges } from "./mirrorChanges.ts";

/**
 * Changes to a message that may arrive before it. A MessageInput without a user number is one:
 * Meta's history media for a business-sent placeholder can omit `to`, so only its wamid says
 * which thread it belongs to.
 */
export type MessageUpdate = EditInput | RevokeInput | StatusInput | MessageInput | ReactionInput;

/** Edits, revokes and statuses that were waiting for the messages just created. */
export async function applyPendingUpdates(
  tx: Tx,
  sql: Sql,
  created: readonly CreatedMessage[],
  changes: MirrorChanges,
  wabaOf: (phoneNumberId: string) => string,
): Promise<void> {
  // Their insert said which have updates waiting (usually none): only those are read.
  for (const [phoneNumberId, wamids] of groupBy(
    created.filter((m) => m.waiting),
    (m) => m.phoneNumberId,
    (m) => m.wamid,
  )) {
    for (const part of chunk(wamids, BATCH)) {
      const pending = await tx.pendingMessageUpdate.findMany({
        where: { phoneNumberId, targetWamid: { in: part } },
        orderBy: { occurredAt: "asc" },
      });
      await applyMessageUpdates(
        sql,
        pending.map((p) => pendingUpdateColumn.read(p.payload)),
        changes,
        wabaOf,
      );
      if (pending.length > 0) await tx.pendingMessageUpdate.deleteMany({ where: { id: { in: pending.map((p) => p.id) } } });
    }
  }
}

/**
 * Edits, revokes, statuses and reactions, in the order given: each applied to its message, or
 * kept until the message lands. The messages are read in one query per BATCH wamids and each
 * update is decided against the message as the updates before it left it (as if each re-read it);
 * a changed message is written once, by plain SQL, and the updates still waiting are stored in
 * bulk. 15,000 statuses were 30,000 Prisma calls (~0.3 ms each); now, for stored messages, 30 reads
 * and the writes of updateRows — on SQLite 15,000 prepared UPDATEs (microseconds each), on
 * PostgreSQL a few multi-row UPDATEs per ~3,000–7,000 messages (a round trip each) — and for
 * messages not stored yet, 60 statements.
 */
export async function applyMessageUpdates(
  sql: Sql,
  updates: readonly MessageUpdate[],
  changes: MirrorChanges,
  wabaOf: (phoneNumberId: string) => string,
): Promise<void> {
  if (updates.length === 0) return;
  const key = (phoneNumberId: string, wamid: string) => `${phoneNumberId}\u0000${wamid}`;
  const messages = new Map<string, UpdateTarget>();
  for (const [phoneNumberId, byNumber] of groupBy(
    updates,
    (u) => u.business.phoneNumberId,
    (u) => u,
  )) {
    const withContent = byNumber.some((u) => u.kind === "edit");
    for (const part of chunk([...new Set(byNumber.map(targetOf))], BATCH)) {
      for (const m of await readTargets(sql, phoneNumberId, part, withContent)) messages.set(key(phoneNumberId, m.wamid), m);
    }
  }
  const written = new Map<string, Prisma.MessageUpdateInput>();
  const waiting = new Map<string, ReturnType<typeof pendingRow>>();
  for (const u of updates) {
    const stored = messages.get(key(u.business.phoneNumberId, targetOf(u)));
    if (!stored) {
      const row = pendingRow(u);
      waiting.set(row.id, row);
      continue;
    }
    const decided = decideUpdate(stored, u);
    if (!decided) continue;
    // The next update of this message sees what this one did (the columns set are the row's own).
    Object.assign(stored, decided.data);
    written.set(stored.id, { ...written.get(stored.id), ...decided.data });
    if (decided.shows) changes.messages.push(messageUpdated(stored, wabaOf, decided.status));
  }
  const now = new Date();
  // One change per message (merged above), so a batched statement never names a row twice.
  await updateRows(
    sql,
    "Message",
    UPDATED_COLUMNS,
    [...written].map(([id, data]) => ({ id, values: { ...data, updatedAt: now } })),
  );
  await storePending(sql, [...waiting.values()]);
}

/**
 * What an update decides on, read by plain SQL in the caller's transaction (not Prisma's client:
 * a status batch then needs no Prisma engine, and a status does not parse the message's content,
 * which only an edit reads). `content` is read only when asked for.
 */
type UpdateTarget = Pick<Message, "id" | "wamid" | "threadId" | "phoneNumberId" | "source" | "type" | "text" | "status" | "editedAt" | "revokedAt"> &
  // JSON columns as stored, for their column readers (storage/columns.ts); content only when asked for.
  Record<"billing" | "edits" | "reactions" | "content", unknown>;

async function readTargets(sql: Sql, phoneNumberId: string, wamids: readonly string[], withContent: boolean): Promise<UpdateTarget[]> {
  // Text columns come as stored; timestamps and JSON as each database gives them (decoded below).
  type Row = Omit<UpdateTarget, "editedAt" | "revokedAt"> & Record<"editedAt" | "revokedAt", unknown>;
  const rows = await sql.all<Row>(
    `SELECT "id", "wamid", "threadId", "phoneNumberId", "source", "type", "text", "status", "billing", "edits", "editedAt", "revokedAt", "reactions"${withContent ? `, "content"` : ""}
     FROM "Message" WHERE "phoneNumberId" = ? AND "wamid" IN (${placeholders(wamids.length)})`,
    [phoneNumberId, ...wamids],
  );
  return rows.map((r) => ({
    ...r,
    billing: storedJson(sql, r.billing),
    edits: storedJson(sql, r.edits),
    reactions: storedJson(sql, r.reactions),
    content: withContent ? storedJson(sql, r.content) : undefined,
    editedAt: toDate(r.editedAt),
    revokedAt: toDate(r.revokedAt),
  }));
}

/** The message an update is about. */
function targetOf(u: MessageUpdate): string {
  return u.kind === "status" || u.kind === "message" ? u.wamid : u.originalWamid;
}

/** The columns an update may set (decideUpdate), as updateRows writes them. */
const UPDATED_COLUMNS = {
  type: "text",
  text: "text",
  content: "json",
  status: "text",
  statusAt: "timestamp",
  errors: "json",
  billing: "json",
  editedAt: "timestamp",
  edits: "json",
  revokedAt: "timestamp",
  reactions: "json",
  updatedAt: "timestamp",
} as const;

/** What an update changes in its stored message, whether that shows (publish it), and the status it leaves; null: nothing. */
function decideUpdate(stored: UpdateTarget, u: MessageUpdate): { data: Prisma.MessageUpdateInput; shows: boolean; status: MessageStatus | null } | null {
  let data: Prisma.MessageUpdateInput | null = null;
  let shows = true;
  const current = { ...stored, status: messageStatusColumn.read(stored.status), edits: editsColumn.read(stored.edits) };
  let status: MessageStatus | null = current.status;
  if (u.kind === "message") {
    const merged = mergeRepeatedMessage(current, u);
    if (merged) data = { ...merged, content: merged.content && messageContentColumn.write(merged.content) };
    if (merged?.status) status = merged.status;
  } else if (u.kind === "status") {
    const next = nextStatus(current.status, u.status);
    if (next) {
      status = next;
      data = { status: next, statusAt: u.timestamp };
      if (u.errors.length) data.errors = u.errors;
    }
    // Pricing and conversation are kept even from a status that no longer moves the state.
    const billing = statusBillingUpdate(stored.billing, u);
    if (billing) data = { ...data, billing };
  } else if (u.kind === "reaction") {
    const reacted = applyReaction(reactionsColumn.read(stored.reactions), u);
    if (reacted) {
      data = { reactions: reactionsColumn.write(reacted.reactions) };
      // A revoked message shows no reactions: storing one changes nothing visible.
      shows = reacted.shows && stored.revokedAt === null;
    }
  } else if (u.kind === "revoke") {
    // The content stays in storage (the business had received it); the API hides it.
    if (!stored.revokedAt) data = { revokedAt: u.timestamp };
  } else {
    // Only an edit reads the stored content (a status, the common update, does not pay for it).
    const edited = applyEdit({ ...current, content: messageContentColumn.read(stored.content) }, u);
    if (edited) {
      data = {
        type: edited.type,
        text: edited.text,
        content: messageContentColumn.write(edited.content),
        editedAt: edited.editedAt,
        edits: editsColumn.write(edited.edits),
      };
      shows = editShows(stored, edited);
    }
  }
  return data && { data, shows, status };
}

const PENDING_COLUMNS = {
  id: "text",
  phoneNumberId: "text",
  targetWamid: "text",
  kind: "text",
  payload: "json",
  occurredAt: "timestamp",
  createdAt: "timestamp",
} as const;

/** The row that keeps an update until its message lands; its id is the update's identity, so a repeat is stored once. */
function pendingRow(u: MessageUpdate): Record<string, unknown> & { id: string } {
  const phoneNumberId = u.business.phoneNumberId;
  const id = createHash("sha256")
    .update(JSON.stringify([u.kind, phoneNumberId, u.wamid, u.kind === "status" ? [u.status, u.timestamp] : null]))
    .digest("hex");
  return { id, phoneNumberId, targetWamid: targetOf(u), kind: u.kind.toUpperCase(), payload: u, occurredAt: u.timestamp, createdAt: new Date() };
}

/** The waiting updates not stored yet, in one multi-row INSERT (after one lookup per BATCH ids). */
async function storePending(sql: Sql, rows: readonly (Record<string, unknown> & { id: string })[]): Promise<void> {
  for (const part of chunk(rows, BATCH)) {
    const stored = new Set(
      (
        await sql.all<{ id: string }>(
          `SELECT "id" FROM "PendingMessageUpdate" WHERE "id" IN (${placeholders(part.length)})`,
          part.map((r) => r.id),
        )
      ).map((r) => r.id),
    );
    await bulkInsert(
      sql,
      "PendingMessageUpdate",
      PENDING_COLUMNS,
      part.filter((r) => !stored.has(r.id)),
    );
  }
}
