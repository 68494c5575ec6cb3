import { identityKeys } from "../domain/identityKey.ts";
import type { ContactInput, IdentityChangeInput, MessageInput } from "../domain/mirrorEvents.ts";
import { placeholders, type Sql } from "../storage/sql.ts";
import { changesContact } from "./contactChange.ts";
import { StaleMemory, threadFingerprint, type IngestMemory } from "./memory.ts";
import type { Participant } from "./participant.ts";

/** Participants taken from memory, and the fingerprint each thread must still have (checked in the transaction). */
export interface Guessed {
  participants: Map<string, Participant>;
  guesses: Map<string, string>;
}

/**
 * The participants of one number's events from memory, when that is all they need: every event a
 * message or a `profile` contact event, every identifier remembered, each event's identifiers of one
 * contact, and no contact event that would change the remembered contact (that is written, and
 * decided on what is read). Otherwise null: the participants are read.
 */
export function fromMemory(
  memory: IngestMemory,
  phoneNumberId: string,
  events: readonly (MessageInput | ContactInput | IdentityChangeInput)[],
): Guessed | null {
  const participants = new Map<string, Participant>();
  const byContact = new Map<string, Participant>();
  const guesses = new Map<string, string>();
  for (const e of events) {
    if (e.kind === "identityChange" || (e.kind === "contact" && e.action !== "profile")) return null;
    const keys = identityKeys(e.user);
    let contactId: string | undefined;
    for (const k of keys) {
      let p = participants.get(k);
      if (!p) {
        const m = memory.participant(phoneNumberId, k);
        if (!m) return null;
        p = byContact.get(m.participant.contact.id) ?? m.participant;
        if ((guesses.get(p.thread.id) ?? m.fingerprint) !== m.fingerprint) return null;
        byContact.set(p.contact.id, p);
        guesses.set(p.thread.id, m.fingerprint);
        participants.set(k, p);
      }
      if (contactId !== undefined && p.contact.id !== contactId) return null;
      contactId = p.contact.id;
    }
    if (contactId === undefined) return null;
    if (e.kind === "contact" && changesContact(participants.get(keys[0]!)!.contact, e)) return null;
  }
  return { participants, guesses };
}

/** Fails the transaction (StaleMemory) unless each thread still has the fingerprint it was remembered with. */
export async function checkGuesses(sql: Sql, guesses: ReadonlyMap<string, string>): Promise<void> {
  if (guesses.size === 0) return;
  const ids = [...guesses.keys()];
  const rows = await sql.all<{ id: string; fingerprint: string | null }>(
    `SELECT t0."id", ${threadFingerprint('t0."id"')} AS "fingerprint" FROM "Thread" t0 WHERE t0."id" IN (${placeholders(ids.length)})`,
    ids,
  );
  const found = new Map(rows.map((r) => [r.id, r.fingerprint]));
  for (const [id, fingerprint] of guesses) if (found.get(id) !== fingerprint) throw new StaleMemory();
}
