import { identityKey, parseIdentityKey, type IdentityKind } from "./identityKey.ts";
import type { IdentityChangeInput, UserRef } from "./mirrorEvents.ts";

/**
 * Identity rules for the users of a business number (pure; src/ingest/participants.ts applies them).
 *
 * Every identifier a payload names — a phone number ("wa_id:<digits>") or a business-scoped user
 * id ("user_id:<BSUID>") — belongs to exactly one contact. A payload that names two identifiers
 * together (a message with `from` and `from_user_id`, contacts[] with wa_id and user_id, an
 * identity change's old and new identifiers) says they are one person: their contacts become one.
 * Which identifier is *current* depends only on the set of identity changes seen, never on the
 * order deliveries arrived in.
 */

/** What the rules read of one stored identifier. */
export interface IdentityRecord {
  identity: string;
  /** The latest time a change named it the user's new identifier. */
  currentSince: Date | null;
  /** The latest time a change replaced it. */
  retiredAt: Date | null;
}

/**
 * The contact's current phone number and BSUID: of the identifiers of each kind, those not
 * replaced by a later change (or named again after it), the one named current latest; of equal
 * standing, the greatest, so the choice is the same whatever order the facts came in.
 */
export function currentIdentity(records: readonly IdentityRecord[]): UserRef {
  const pick = (kind: IdentityKind): string | null => {
    const ofKind = records.filter((r) => parseIdentityKey(r.identity).kind === kind);
    const live = ofKind.filter((r) => r.retiredAt === null || (r.currentSince !== null && r.currentSince > r.retiredAt));
    // Every identifier of this kind was replaced (e.g. only an old number is known): keep the latest replaced.
    const candidates = live.length ? live : ofKind;
    const best = candidates.reduce<IdentityRecord | null>((a, b) => (a === null || rank(b) > rank(a) ? b : a), null);
    return best ? parseIdentityKey(best.identity).value : null;
  };
  return { waId: pick("WA_ID"), userId: pick("USER_ID") };
}

function rank(r: IdentityRecord): string {
  // A sortable string: time named current, then time retired (later is better), then the identity.
  const pad = (d: Date | null) => String(d?.getTime() ?? 0).padStart(16, "0");
  return `${pad(r.currentSince)}|${pad(r.retiredAt)}|${r.identity}`;
}

/**
 * What an identity change says about each identifier: those it names as new are current from its
 * time; the old ones of the same kind that it replaces are retired at its time. An identifier the
 * change leaves as it was (e.g. the number, for a BSUID change) is untouched.
 */
export function identityChangeFacts(e: Pick<IdentityChangeInput, "from" | "to" | "timestamp">): {
  current: string[];
  retired: string[];
} {
  const current: string[] = [];
  const retired: string[] = [];
  if (e.to.waId !== null) {
    current.push(identityKey("WA_ID", e.to.waId));
    if (e.from.waId !== null && e.from.waId !== e.to.waId) retired.push(identityKey("WA_ID", e.from.waId));
  }
  if (e.to.userId !== null) {
    current.push(identityKey("USER_ID", e.to.userId));
    if (e.from.userId !== null && e.from.userId !== e.to.userId) retired.push(identityKey("USER_ID", e.from.userId));
  }
  return { current, retired };
}

/** Of two contacts found to be one person, the one kept: the older, so links to its thread stay valid. */
export function survivorOrder(a: { id: string; createdAt: Date }, b: { id: string; createdAt: Date }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** What the merged contact keeps of the two: each register from whichever side set it later. */
export interface MergeableContact {
  username: string | null;
  parentUserId: string | null;
  profileName: string | null;
  fullName: string | null;
  firstName: string | null;
  removedAt: Date | null;
  syncedAt: Date | null;
  namesSyncedAt: Date | null;
}

export function mergeContacts(kept: MergeableContact, merged: MergeableContact): MergeableContact {
  const later = (a: Date | null, b: Date | null) => b !== null && (a === null || b > a);
  const presence = later(kept.syncedAt, merged.syncedAt) ? merged : kept;
  const names = later(kept.namesSyncedAt, merged.namesSyncedAt) ? merged : kept;
  return {
    username: kept.username ?? merged.username,
    parentUserId: kept.parentUserId ?? merged.parentUserId,
    profileName: kept.profileName ?? merged.profileName,
    // Names from the address book go by their sync time; neither synced: whichever side has them.
    fullName: kept.namesSyncedAt === null && merged.namesSyncedAt === null ? (kept.fullName ?? merged.fullName) : names.fullName,
    firstName: kept.namesSyncedAt === null && merged.namesSyncedAt === null ? (kept.firstName ?? merged.firstName) : names.firstName,
    removedAt: presence.removedAt,
    syncedAt: presence.syncedAt,
    namesSyncedAt: names.namesSyncedAt,
  };
}
