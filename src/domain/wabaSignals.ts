import { byMetaTime, decodeOr, type DetailsOf } from "./accountSignals.ts";

/** A WABA's capabilities: each limit as the latest business_capability_update that carries it says (Meta sends only the keys that apply). */
export interface WabaCapabilities {
  maxDailyConversationsPerBusiness: string | null;
  maxDailyConversationPerPhone: number | null;
  maxPhoneNumbersPerBusiness: number | null;
  maxPhoneNumbersPerWaba: number | null;
  /** Meta's time of the latest capability event. */
  updatedAt: Date;
}

type CapabilityEvent = { id: string; occurredAt: Date; details: DetailsOf<"business_capability_update"> };

/** The fold of a WABA's capability events by Meta's time; null when there are none. */
export function projectCapabilities(events: readonly CapabilityEvent[]): WabaCapabilities | null {
  const sorted = byMetaTime(events);
  const last = sorted.at(-1);
  if (!last) return null;
  const c: WabaCapabilities = {
    maxDailyConversationsPerBusiness: null,
    maxDailyConversationPerPhone: null,
    maxPhoneNumbersPerBusiness: null,
    maxPhoneNumbersPerWaba: null,
    updatedAt: last.occurredAt,
  };
  for (const { details: d } of sorted) {
    c.maxDailyConversationsPerBusiness = d.maxDailyConversationsPerBusiness ?? c.maxDailyConversationsPerBusiness;
    c.maxDailyConversationPerPhone = d.maxDailyConversationPerPhone ?? c.maxDailyConversationPerPhone;
    c.maxPhoneNumbersPerBusiness = d.maxPhoneNumbersPerBusiness ?? c.maxPhoneNumbersPerBusiness;
    c.maxPhoneNumbersPerWaba = d.maxPhoneNumbersPerWaba ?? c.maxPhoneNumbersPerWaba;
  }
  return c;
}

/** account_alerts `alert_severity`, most urgent first (the order alerts are listed in). */
export const ALERT_SEVERITIES = ["CRITICAL", "WARNING", "INFORMATIONAL", "OTHER"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const alertSeverityOf = (raw: string | null | undefined) => decodeOr(ALERT_SEVERITIES, raw);

/**
 * Whether an alert is open: its latest event (by Meta's time) has alert_status ACTIVE. Meta
 * documents ACTIVE; any other status (NONE, a resolution) closes it.
 */
export function alertOpen(status: string): boolean {
  return status.trim().toUpperCase() === "ACTIVE";
}

type AlertEvent = { id: string; occurredAt: Date; subject: string; details: DetailsOf<"account_alerts"> };

/**
 * Each alert as its latest event says (one per type and entity), most severe first, then newest
 * first; only the open ones when `openOnly`.
 */
export function currentAlerts<E extends AlertEvent>(events: readonly E[], openOnly: boolean): E[] {
  const latest = new Map<string, E>();
  for (const e of byMetaTime(events)) latest.set(e.subject, e);
  const rank = (e: E) => ALERT_SEVERITIES.indexOf(alertSeverityOf(e.details.severity) ?? "OTHER");
  return [...latest.values()]
    .filter((e) => !openOnly || alertOpen(e.details.status))
    .sort((a, b) => rank(a) - rank(b) || b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? -1 : 1));
}
