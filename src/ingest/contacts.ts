import type { ContactInput } from "../domain/mirrorEvents.ts";
import { contactUpdate } from "../domain/threadMirror.ts";
import type { Tx } from "../storage/client.ts";
import type { Participants } from "./participants.ts";
import { differs } from "./contactChange.ts";

/**
 * Applies contact events in order to the loaded contacts and writes only the contacts that
 * changed: a profile name seen on every inbound message costs nothing once it is stored.
 */
export async function applyContacts(tx: Tx, events: readonly ContactInput[], participants: Participants): Promise<void> {
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
  for (const { id, data } of changed.values()) await tx.contact.update({ where: { id }, data });
}
