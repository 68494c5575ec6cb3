import type { MirrorEvent } from "./mirrorEvents.ts";

/**
 * Early warning before Meta cuts a coexistence number off for inactivity. Meta disconnects a number
 * whose WhatsApp Business app (the primary device) has not been opened for about 14 days
 * (PARTNER_REMOVED, reason PRIMARY_INACTIVITY; "Onboarding WhatsApp Business app users").
 *
 * The hub cannot see the app being opened. It sees what the app does: messages the business sends
 * from it (echoes), address-book changes it syncs (smb_app_state_sync), messages the business sent
 * in the history it uploads. The latest of those, by Meta's time, is the number's last app activity.
 * An app opened without doing any of that leaves no trace, so the warning comes early, not late;
 * an echo sent from a companion device (WhatsApp Web) is counted too, since Meta's echo does not say
 * which device sent it (see docs/account-signals.md).
 */

export const INACTIVITY_LEVELS = ["OK", "WARN", "CRITICAL"] as const;
export type InactivityLevel = (typeof INACTIVITY_LEVELS)[number];

/** Days without app activity at which each level starts, and after which Meta disconnects (about 14). */
export interface InactivityPolicy {
  warnDays: number;
  criticalDays: number;
  disconnectDays: number;
}

export const DEFAULT_INACTIVITY_POLICY: InactivityPolicy = { warnDays: 10, criticalDays: 12, disconnectDays: 14 };

export interface InactivityRisk {
  level: InactivityLevel;
  /** Whole days left before Meta's cut-off (rounded down, never below 0). */
  daysLeft: number;
  /** Since when the number is at this level: its last app activity (OK), or that plus warnDays / criticalDays. */
  since: Date;
}

const DAY_MS = 86_400_000;

/** The risk at `now` of a number whose app was last seen at `lastAppActivityAt`; null when the hub has never seen its app. */
export function inactivityRisk(lastAppActivityAt: Date | null, now: Date, policy: InactivityPolicy = DEFAULT_INACTIVITY_POLICY): InactivityRisk | null {
  if (!lastAppActivityAt) return null;
  const last = lastAppActivityAt.getTime();
  // A time ahead of our clock (Meta's clock and ours differ a little) is activity now.
  const idle = Math.max(0, now.getTime() - last);
  const daysLeft = Math.max(0, Math.floor((policy.disconnectDays * DAY_MS - idle) / DAY_MS));
  if (idle >= policy.criticalDays * DAY_MS) return { level: "CRITICAL", daysLeft, since: new Date(last + policy.criticalDays * DAY_MS) };
  if (idle >= policy.warnDays * DAY_MS) return { level: "WARN", daysLeft, since: new Date(last + policy.warnDays * DAY_MS) };
  return { level: "OK", daysLeft, since: lastAppActivityAt };
}

/**
 * The latest sign of the app per business number in a delivery's mirror events, by Meta's time: an
 * echo (a message or a reaction the business sent from the app), an address-book sync, a message
 * the business sent found in a history chunk. Messages from users and statuses are not signs: they
 * reach the number whether or not the app is opened. (An echo's edit or revoke is not told apart
 * from a user's, so it is not counted; the echo it changes was.)
 */
export function appActivityByNumber(events: readonly MirrorEvent[]): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const e of events) {
    const at = appActivityOf(e);
    if (!at) continue;
    const before = latest.get(e.business.phoneNumberId);
    if (!before || before < at) latest.set(e.business.phoneNumberId, at);
  }
  return latest;
}

function appActivityOf(e: MirrorEvent): Date | null {
  switch (e.kind) {
    case "message":
      return e.source === "ECHO" || (e.source === "HISTORY" && e.direction === "OUTBOUND") ? e.timestamp : null;
    case "reaction":
      return e.reactor === "BUSINESS" ? e.timestamp : null;
    case "contact":
      // A messages webhook's contacts[] ("profile") is the user's profile, not the app.
      return e.action !== "profile" ? e.timestamp : null;
    default:
      return null;
  }
}
