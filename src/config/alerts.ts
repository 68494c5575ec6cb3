import { z } from "zod";
import { invalidConfiguration, type EnvOf } from "./values.ts";

const alertRetryMaxMinutes = z.coerce.number().min(0).max(10_080).default(60);

/** Alerts out (docs/alerts.md): each bounded, so a bad value cannot make a POST wait forever nor retries run for days. */
export const alertsEnv = {
  ALERT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  ALERT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  ALERT_RETRY_MAX_MINUTES: alertRetryMaxMinutes,
  ALERT_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(1_000),
  ALERT_TARGET_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  ALERT_SYNC_DEADLINE_MINUTES: z.coerce.number().min(1).max(1_440).default(120),
  ALERT_CHECK_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  ALERT_RETENTION_DAYS: z.coerce.number().min(0).max(3_650).default(30),
};

/** ALERT_RETRY_MAX_MINUTES alone, for `hub alerts replay`, which makes an attempt as the server would. */
export function readAlertRetryMaxMinutes(source: NodeJS.ProcessEnv = process.env): number {
  const parsed = alertRetryMaxMinutes.safeParse(source.ALERT_RETRY_MAX_MINUTES || undefined);
  if (!parsed.success) throw invalidConfiguration(`ALERT_RETRY_MAX_MINUTES: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  return parsed.data;
}

export function alertsConfig(e: EnvOf<typeof alertsEnv>) {
  return {
    /** Alerts out: posting, retries and the sync-deadline warning (src/alerts/, docs/alerts.md). */
    alerts: {
      /** One POST's deadline (ALERT_TIMEOUT_MS). */
      timeoutMs: e.ALERT_TIMEOUT_MS,
      /** The first retry's delay; each next one doubles it (ALERT_RETRY_BASE_MS). */
      retryBaseMs: e.ALERT_RETRY_BASE_MS,
      /** Retries stop this long after the attempt was made (ALERT_RETRY_MAX_MINUTES); it is then FAILED. */
      retryMaxMinutes: e.ALERT_RETRY_MAX_MINUTES,
      /** How often each instance looks for due attempts (ALERT_POLL_INTERVAL_MS); a new event wakes it at once. */
      pollIntervalMs: e.ALERT_POLL_INTERVAL_MS,
      /** Posts to one target in flight at once per instance (ALERT_TARGET_CONCURRENCY). */
      targetConcurrency: e.ALERT_TARGET_CONCURRENCY,
      /** Warn this long before a number's 24-hour sync deadline (ALERT_SYNC_DEADLINE_MINUTES). */
      syncDeadlineMinutes: e.ALERT_SYNC_DEADLINE_MINUTES,
      /** How often the deadline is checked and old alerts pruned (ALERT_CHECK_INTERVAL_MS). */
      checkIntervalMs: e.ALERT_CHECK_INTERVAL_MS,
      /** Delivered and failed attempts, and their events, are kept this long (ALERT_RETENTION_DAYS). */
      retentionDays: e.ALERT_RETENTION_DAYS,
    },
  };
}
