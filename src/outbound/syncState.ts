import { digits } from "../domain/phoneNumbers.ts";
import { ONBOARDING_EVENTS, SYNC_KINDS, syncDeadline, type SyncAttempt, type SyncDeadline, type SyncKind } from "../domain/syncDeadline.ts";
import type { Tx } from "../storage/client.ts";
import { syncKindColumn, syncRequestErrorColumn } from "../storage/columns.ts";

/** A business number as its syncs need it. */
export interface SyncingNumber {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string | null;
  /** When the hub first stored the number: its first webhook (or onboardBusiness, which names it first). */
  createdAt: Date;
}

/** A stored SyncRequest row. */
export interface StoredSyncRequest {
  kind: string;
  requestedAt: Date | null;
  attemptedAt: Date;
  error: unknown;
}

export interface SyncState extends SyncDeadline {
  onboardedAt: Date;
  attempts: Record<SyncKind, SyncAttempt | null>;
}

/**
 * When the number was onboarded: the latest PARTNER_ADDED or PARTNER_APP_INSTALLED of its WABA
 * that names it or no number (Meta's time), else the hub's first sight of the number.
 */
export async function readOnboardedAt(db: Tx, number: SyncingNumber): Promise<Date> {
  const named = number.displayPhoneNumber ? digits(number.displayPhoneNumber) : null;
  const event = await db.accountEvent.findFirst({
    where: {
      wabaId: number.wabaId,
      event: { in: [...ONBOARDING_EVENTS] },
      OR: [{ phoneNumber: null }, ...(named ? [{ phoneNumber: named }] : [])],
    },
    orderBy: { occurredAt: "desc" },
    select: { occurredAt: true },
  });
  return event?.occurredAt ?? number.createdAt;
}

/** The stored requests of a number, by kind. */
export function attemptsOf(rows: readonly StoredSyncRequest[]): Record<SyncKind, SyncAttempt | null> {
  const attempts: Record<SyncKind, SyncAttempt | null> = { CONTACTS: null, HISTORY: null };
  for (const row of rows) {
    attempts[syncKindColumn.read(row.kind)] = {
      requestedAt: row.requestedAt,
      attemptedAt: row.attemptedAt,
      error: syncRequestErrorColumn.read(row.error),
    };
  }
  return attempts;
}

/** The number's syncs and deadline, from its stored requests (`rows`, when the caller has them). */
export async function readSyncState(db: Tx, number: SyncingNumber, rows?: readonly StoredSyncRequest[], now = new Date()): Promise<SyncState> {
  const [onboardedAt, stored] = await Promise.all([
    readOnboardedAt(db, number),
    rows ?? db.syncRequest.findMany({ where: { phoneNumberId: number.phoneNumberId, kind: { in: [...SYNC_KINDS] } } }),
  ]);
  const attempts = attemptsOf(stored);
  return { onboardedAt, attempts, ...syncDeadline(onboardedAt, attempts, now) };
}
