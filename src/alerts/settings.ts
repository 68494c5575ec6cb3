/** How alerts are posted and retried (Config.alerts, src/env.ts; docs/alerts.md). */
export interface AlertSettings {
  /** One POST's deadline (ALERT_TIMEOUT_MS). */
  timeoutMs: number;
  /** The first retry's delay; each next one doubles it (ALERT_RETRY_BASE_MS). */
  retryBaseMs: number;
  /** Retries stop this long after the attempt was made (ALERT_RETRY_MAX_MINUTES); it is then FAILED. */
  retryMaxMinutes: number;
  /** How often each instance looks for due attempts (ALERT_POLL_INTERVAL_MS); a new event wakes it at once. */
  pollIntervalMs: number;
  /** Posts to one target in flight at once per instance (ALERT_TARGET_CONCURRENCY). */
  targetConcurrency: number;
  /** Warn this long before a number's 24-hour sync deadline (ALERT_SYNC_DEADLINE_MINUTES). */
  syncDeadlineMinutes: number;
  /** How often the deadline is checked and old alerts pruned (ALERT_CHECK_INTERVAL_MS). */
  checkIntervalMs: number;
  /** Delivered and failed attempts, and their events, are kept this long (ALERT_RETENTION_DAYS). */
  retentionDays: number;
}
