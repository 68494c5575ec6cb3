import { z } from "zod";

/** An alert attempt's state: posting (now or at its next retry), done, or given up. */
export const ALERT_ATTEMPT_STATES = ["PENDING", "DELIVERED", "FAILED"] as const;
export type AlertAttemptState = (typeof ALERT_ATTEMPT_STATES)[number];

/** One POST of an attempt: its HTTP status, or the network error (refused, timed out, reset) when none came. */
export const alertTryRecord = z.object({
  at: z.string(),
  status: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
export type AlertTry = z.infer<typeof alertTryRecord>;

/** A receiver took it: any 2xx. Everything else (3xx included: a target's URL is exact) is retried. */
export const delivered = (t: AlertTry) => t.status !== null && t.status >= 200 && t.status < 300;

/** POSTs kept with an attempt, the latest (by that many tries the backoff is at its cap anyway). */
export const MAX_KEPT_TRIES = 100;

/** The longest wait between two tries, whatever the count: a target back up is not left waiting for hours. */
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/**
 * When to try again after `tries` failed tries: base, 2×base, 4×base… (at most MAX_RETRY_DELAY_MS);
 * null when that falls after `giveUpAt` (the attempt is then FAILED).
 */
export function nextTryAt(tries: number, baseMs: number, now: Date, giveUpAt: Date): Date | null {
  const delay = Math.min(baseMs * 2 ** Math.max(0, tries - 1), MAX_RETRY_DELAY_MS);
  const at = new Date(now.getTime() + delay);
  return at > giveUpAt ? null : at;
}
