import { createHash } from "node:crypto";
import type { EditInput, MessageInput, ReactionInput, RevokeInput, StatusInput } from "../domain/mirrorEvents.ts";
import type { MessageStatus } from "../domain/messageStatus.ts";
import { applyReaction } from "../domain/reactions.ts";
import { applyEdit, editShows, mergeRepeatedMessage, nextStatus } from "../domain/threadMirror.ts";
import type { Prisma } from "../storage/generated/prisma/client.ts";
import type { Tx } from "../storage/client.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { editsColumn, messageStatusColumn, pendingUpdateColumn, reactionsColumn } from "../storage/columns.ts";
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
  for (const [phoneNumberId, wamids] of groupBy(
    created,
    (m) => m.phoneNumberId,
    (m) => m.wamid,
  )) {
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
        await applyMessageUpdate(tx, pendingUpdateColumn.read(p.payload), changes, wabaOf);
        await tx.pendingMessageUpdate.delete({ where: { id: p.id } });
      }
    }
  }
}

/** An edit, revoke or status: applied to its message, or kept until the message lands. */
export async function applyMessageUpdate(tx: Tx, u: MessageUpdate, changes: MirrorChanges, wabaOf: (phoneNumberId: string) => string): Promise<void> {
  const phoneNumberId = u.business.phoneNumberId;
  const target = u.kind === "status" || u.kind === "message" ? u.wamid : u.originalWamid;
  const stored = await tx.message.findUnique({ where: { phoneNumberId_wamid: { phoneNumberId, wamid: target } } });
  if (!stored) {
    const id = createHash("sha256")
      .update(JSON.stringify([u.kind, phoneNumberId, u.wamid, u.kind === "status" ? [u.status, u.timestamp] : null]))
      .digest("hex");
    const exists = await tx.pendingMessageUpdate.findUnique({ where: { id }, select: { id: true } });
    if (!exists) {
      await tx.pendingMessageUpdate.create({
        data: { id, phoneNumberId, targetWamid: target, kind: u.kind.toUpperCase(), payload: pendingUpdateColumn.write(u), occurredAt: u.timestamp },
      });
    }
    return;
  }

  let data: Prisma.MessageUpdateInput | null = null;
  let shows = true;
  const current = { ...stored, status: messageStatusColumn.read(stored.status), edits: editsColumn.read(stored.edits) };
  let status: MessageStatus | null = current.status;
  if (u.kind === "message") {
    const merged = mergeRepeatedMessage(current, u);
    if (merged) data = { ...merged, content: merged.content as Prisma.InputJsonValue | undefined };
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
    const edited = applyEdit(current, u);
    if (edited) {
      data = {
        type: edited.type,
        text: edited.text,
        content: edited.content as Prisma.InputJsonValue,
        editedAt: edited.editedAt,
        edits: editsColumn.write(edited.edits),
      };
      shows = editShows(stored, edited);
    }
  }
  if (!data) return;
  await tx.message.update({ where: { id: stored.id }, data });
  if (shows) {
    changes.messages.push(messageUpdated(stored, wabaOf, status));
  }
}
