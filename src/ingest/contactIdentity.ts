import { currentIdentity, identityChangeFacts, type IdentityRecord } from "../domain/contactIdentity.ts";
import type { IdentityChangeInput } from "../domain/mirrorEvents.ts";
import { placeholders, toDate, type Sql } from "../storage/sql.ts";
import { BATCH, chunk } from "./groups.ts";
import type { Participant } from "./participant.ts";

// Identity changes in storage: when each identifier became current or was retired, and the
// contact's current number and BSUID worked out again from them (src/domain/contactIdentity.ts).

/** An identifier no identity change of this delivery names. */
export const NO_FACT = { currentSince: null, retiredAt: null } as const;

/** The latest time each identifier was named current, and was retired, by the changes of this delivery. */
export function changeFacts(changes: readonly IdentityChangeInput[]): Map<string, { currentSince: Date | null; retiredAt: Date | null }> {
  const facts = new Map<string, { currentSince: Date | null; retiredAt: Date | null }>();
  const later = (a: Date | null, b: Date) => (a === null || b > a ? b : a);
  for (const e of changes) {
    const { current, retired } = identityChangeFacts(e);
    for (const k of current) {
      const f = facts.get(k) ?? { ...NO_FACT };
      facts.set(k, { ...f, currentSince: later(f.currentSince, e.timestamp) });
    }
    for (const k of retired) {
      const f = facts.get(k) ?? { ...NO_FACT };
      facts.set(k, { ...f, retiredAt: later(f.retiredAt, e.timestamp) });
    }
  }
  return facts;
}

/** Works out the current number and BSUID of contacts whose identifiers changed, from all they were ever known by. */
export async function refreshCurrentIdentity(sql: Sql, participants: readonly Participant[]): Promise<Participant[]> {
  const changed: Participant[] = [];
  if (participants.length === 0) return changed;
  const records = new Map<string, IdentityRecord[]>();
  for (const part of chunk(
    participants.map((p) => p.contact.id),
    BATCH,
  )) {
    const rows = await sql.all<{ contactId: string; identity: string; currentSince: unknown; retiredAt: unknown }>(
      `SELECT "contactId", "identity", "currentSince", "retiredAt" FROM "ContactIdentity" WHERE "contactId" IN (${placeholders(part.length)})`,
      part,
    );
    for (const r of rows) {
      const list = records.get(r.contactId) ?? [];
      list.push({ identity: r.identity, currentSince: toDate(r.currentSince), retiredAt: toDate(r.retiredAt) });
      records.set(r.contactId, list);
    }
  }
  for (const p of participants) {
    const current = currentIdentity(records.get(p.contact.id) ?? []);
    if (current.waId === p.contact.waId && current.userId === p.contact.userId) continue;
    await sql.run(`UPDATE "Contact" SET "waId" = ?, "userId" = ? WHERE "id" = ?`, [current.waId, current.userId, p.contact.id]);
    p.contact.waId = current.waId;
    p.contact.userId = current.userId;
    changed.push(p);
  }
  return changed;
}
