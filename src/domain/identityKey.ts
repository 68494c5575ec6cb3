import type { UserRef } from "./mirrorEvents.ts";
import { digits } from "./phoneNumbers.ts";

/**
 * How ContactIdentity stores an identifier of a user: its kind is part of the key ("wa_id:<digits>"
 * or "user_id:<BSUID>"), so a BSUID never reads as a phone number. Nothing else spells the prefixes.
 */
export const IDENTITY_KINDS = ["WA_ID", "USER_ID"] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

const PREFIXES: Record<IdentityKind, string> = { WA_ID: "wa_id:", USER_ID: "user_id:" };

export function identityKey(kind: IdentityKind, value: string): string {
  return `${PREFIXES[kind]}${value}`;
}

/** A stored key back as its kind and value. */
export function parseIdentityKey(key: string): { kind: IdentityKind; value: string } {
  const kind = IDENTITY_KINDS.find((k) => key.startsWith(PREFIXES[k])) ?? "WA_ID";
  return { kind, value: key.slice(key.indexOf(":") + 1) };
}

/** The identity keys of a user, phone number first. */
export function identityKeys(user: UserRef): string[] {
  const keys: string[] = [];
  if (user.waId) keys.push(identityKey("WA_ID", user.waId));
  if (user.userId) keys.push(identityKey("USER_ID", user.userId));
  return keys;
}

/**
 * A business-scoped user id: a two-letter country code, a dot, then letters, digits and dots
 * (parent BSUIDs read "US.ENT.…"). Such a string is never a phone number, whatever digits it holds.
 */
export const BSUID_PATTERN = /^[A-Za-z]{2}\.[A-Za-z0-9.]{1,160}$/;

export function isBsuid(value: string): boolean {
  return BSUID_PATTERN.test(value);
}

/** The key a caller's phone number or BSUID looks a user up by; a BSUID given as a number stays a BSUID. */
export function lookupKey(given: { waId?: string | null; userId?: string | null }): string | null {
  if (given.userId) return identityKey("USER_ID", given.userId);
  if (!given.waId) return null;
  return isBsuid(given.waId) ? identityKey("USER_ID", given.waId) : identityKey("WA_ID", digits(given.waId));
}
