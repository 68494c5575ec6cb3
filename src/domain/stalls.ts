/**
 * Stalls: something the hub waits for that has not come. Both rules are pure functions of the
 * stored times and a `now`, so tests give Meta's timestamps and a clock instead of waiting.
 *
 * An offboarding (ACCOUNT_OFFBOARDED: the business changed device or re-registered) is normally
 * answered by Meta's ACCOUNT_RECONNECTED within minutes; one still open `offboardingMinutes` after
 * Meta's time of it means re-onboarding did not finish. A history sync that was requested (or began
 * sending chunks) and then went silent for `historySyncMinutes` is stalled until its next chunk.
 * A stall is a state of something still waited for: it ends when the offboarding resolves (so a
 * resolved disconnection is never stalled, in any arrival order) or the sync moves again.
 */

export const STALL_KINDS = ["OFFBOARDING", "HISTORY_SYNC"] as const;
export type StallKind = (typeof STALL_KINDS)[number];

export interface StallPolicy {
  /** Minutes after Meta's time of an ACCOUNT_OFFBOARDED without ACCOUNT_RECONNECTED (OFFBOARDING_STALL_MINUTES). */
  offboardingMinutes: number;
  /** Minutes of silence of a started history sync (HISTORY_SYNC_STALL_MINUTES). */
  historySyncMinutes: number;
}

export const DEFAULT_STALL_POLICY: StallPolicy = { offboardingMinutes: 30, historySyncMinutes: 60 };

const MINUTE_MS = 60_000;

/** When an open ACCOUNT_OFFBOARDED stalls: Meta's time of it plus the minutes; null for any other disconnection, or a resolved one. */
export function offboardingStallAt(
  d: { kind: string; occurredAt: Date; resolvedAt: Date | null },
  policy: Pick<StallPolicy, "offboardingMinutes"> = DEFAULT_STALL_POLICY,
): Date | null {
  if (d.kind !== "ACCOUNT_OFFBOARDED" || d.resolvedAt) return null;
  return new Date(d.occurredAt.getTime() + policy.offboardingMinutes * MINUTE_MS);
}

/** What a history sync's stall depends on: its request, its last history webhook, its status. */
export interface SyncSilence {
  /** When Meta accepted the hub's history sync request (SyncRequest HISTORY); null: never. */
  requestedAt: Date | null;
  /** The last history webhook written for the number (a chunk); null: none yet. */
  lastChunkAt: Date | null;
  /** NOT_STARTED, IN_PROGRESS, COMPLETE or DECLINED. */
  status: string;
}

/** When a started, unfinished history sync stalls: its last sign (request or chunk) plus the minutes; null when it is not waiting for anything. */
export function historySyncStallAt(s: SyncSilence, policy: Pick<StallPolicy, "historySyncMinutes"> = DEFAULT_STALL_POLICY): Date | null {
  if (s.status === "COMPLETE" || s.status === "DECLINED") return null;
  const signs = [s.requestedAt, s.lastChunkAt].filter((d): d is Date => d !== null);
  if (signs.length === 0) return null;
  const last = Math.max(...signs.map((d) => d.getTime()));
  return new Date(last + policy.historySyncMinutes * MINUTE_MS);
}

/** Whether a stall time has come at `now` (null: it never stalls). */
export function isStalled(stallAt: Date | null, now: Date): boolean {
  return stallAt !== null && stallAt.getTime() <= now.getTime();
}
