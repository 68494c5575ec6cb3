import type { alertsConfig } from "../config/alerts.ts";

/** How alerts are posted and retried (ALERT_* in src/config/alerts.ts; docs/alerts.md). */
export type AlertSettings = ReturnType<typeof alertsConfig>["alerts"];
