import type { SendError } from "./sendError.ts";

/**
 * The two syncs of a coexistence number (POST /{phone-number-id}/smb_app_data) and their deadline.
 * Meta takes each sync once, within 24 hours of onboarding: a second request is refused with
 * 2593107, a late one with 2593108, and after that only a new Embedded Signup (offboard and
 * onboard again) opens a new window.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/onboarding-business-app-users
 */

export const SYNC_KINDS = ["CONTACTS", "HISTORY"] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

/** Meta's `sync_type` of each kind. */
export const SYNC_TYPE = { CONTACTS: "smb_app_state_sync", HISTORY: "history" } as const satisfies Record<SyncKind, string>;

export const SYNC_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Meta's answer to a sync already requested for the number (by the hub or anyone else). */
export const SYNC_ALREADY_REQUESTED = 2593107;
/** Meta's answer to a sync requested more than 24 hours after onboarding. */
export const SYNC_TOO_LATE = 2593108;

/** The account_update events after which the number is onboarded (the latest one counts: a new signup opens a new window). */
export const ONBOARDING_EVENTS = ["PARTNER_ADDED", "PARTNER_APP_INSTALLED"] as const;

/** A stored request of one kind (SyncRequest). */
export interface SyncAttempt {
  /** When Meta accepted it; null until it did. */
  requestedAt: Date | null;
  /** When the hub last asked. */
  attemptedAt: Date;
  /** Meta's error of the latest attempt; null when it was accepted. */
  error: SendError | null;
}

/**
 * Whether Meta holds the request of this onboarding: it accepted it, or it answered that the sync
 * had been requested already (2593107). Attempts before `onboardedAt` belong to an earlier signup.
 */
export function syncRequested(attempt: SyncAttempt | null, onboardedAt: Date): boolean {
  if (!attempt || attempt.attemptedAt < onboardedAt) return false;
  return (attempt.requestedAt !== null && attempt.requestedAt >= onboardedAt) || attempt.error?.code === SYNC_ALREADY_REQUESTED;
}

export interface SyncDeadline {
  /** Onboarding + 24 h. */
  deadlineAt: Date;
  /** The deadline passed while a kind was not requested, or Meta already answered 2593108 (too late). */
  deadlineMissed: boolean;
}

export function syncDeadline(onboardedAt: Date, attempts: Record<SyncKind, SyncAttempt | null>, now: Date): SyncDeadline {
  const deadlineAt = new Date(onboardedAt.getTime() + SYNC_WINDOW_MS);
  const missing = SYNC_KINDS.filter((kind) => !syncRequested(attempts[kind], onboardedAt));
  // Meta's word wins over the hub's estimate: the onboarding time may be only the first webhook's.
  const refusedLate = missing.some((kind) => {
    const a = attempts[kind];
    return a !== null && a.attemptedAt >= onboardedAt && a.error?.code === SYNC_TOO_LATE;
  });
  return { deadlineAt, deadlineMissed: refusedLate || (now > deadlineAt && missing.length > 0) };
}

/**
 * The kinds still not requested when the deadline is less than `leadMs` away (and not passed, nor
 * refused by Meta as too late); null when there is nothing to warn about.
 */
export function deadlineApproaching(onboardedAt: Date, attempts: Record<SyncKind, SyncAttempt | null>, now: Date, leadMs: number): SyncKind[] | null {
  const { deadlineAt, deadlineMissed } = syncDeadline(onboardedAt, attempts, now);
  if (deadlineMissed || now.getTime() < deadlineAt.getTime() - leadMs) return null;
  const missing = SYNC_KINDS.filter((kind) => !syncRequested(attempts[kind], onboardedAt));
  return missing.length ? missing : null;
}
