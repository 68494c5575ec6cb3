import type { ContactInput } from "../domain/mirrorEvents.ts";
import { contactUpdate } from "../domain/threadMirror.ts";
import type { Sql } from "../storage/sql.ts";
import { updateRows } from "../storage/rowUpdate.ts";
import type { Participants } from "./participants.ts";
import { differs } from "./contactChange.ts";

/**
 * Applies contact events in order to the loaded contacts and writes only the contacts that
 * changed: a profile name seen on every inbound message costs nothing once it is stored.
 */
export async function applyContacts(sql: Sql, events: readonly ContactInput[], participants: Participants): Promise<void> {
  const changed = new Map<string, { id: string; data: NonNullable<ReturnType<typeof contactUpdate>> }>();
  for (const c of events) {
    const stored = participants.of(c.business.phoneNumberId, c.user)?.contact;
    if (!stored) continue;
    const k = stored.id;
    const update = contactUpdate(stored, c);
    if (!update || !differs(stored, update)) continue;
    Object.assign(stored, update);
    changed.set(k, { id: stored.id, data: { ...changed.get(k)?.data, ...update } });
  }
  // Plain SQL (a new user's name is written on every first message): the batch's transaction then needs no Prisma client.
  const now = new Date();
  await updateRows(
    sql,
    "Contact",
    CONTACT_COLUMNS,
    [...changed.values()].map(({ id, data }) => ({ id, values: { ...data, updatedAt: now } })),
  );
}

/** The columns contactUpdate may set, and the timestamp Prisma's @updatedAt would. */
const CONTACT_COLUMNS = {
  username: "text",
  parentUserId: "text",
  profileName: "text",
  fullName: "text",
  firstName: "text",
  syncedAt: "timestamp",
  removedAt: "timestamp",
  namesSyncedAt: "timestamp",
  updatedAt: "timestamp",
} as const;
