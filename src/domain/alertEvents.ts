import type { AlertData } from "./alertData.ts";

/**
 * The events the hub posts to alert targets (docs/alerts.md), their names fixed for receivers, and
 * the rules that turn what a commit did into one. Each has a key naming what it is about: the hub
 * stores an event once per key, so an event seen by several instances (every one of them hears
 * Redis pub/sub) or by a periodic check that runs again is posted once per target.
 */
export const ALERT_EVENT_TYPES = [
  "disconnection.opened",
  "disconnection.resolved",
  "offboarding.stalled",
  "history_sync.stalled",
  "inactivity.warn",
  "inactivity.critical",
  "template.paused",
  "template.disabled",
  "account_alert.opened",
  "delivery.failed",
  "history_sync.deadline_approaching",
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/** A target that wants every event, present and future. */
export const ALL_ALERT_EVENTS = "*";

/** The formats a target takes: the signed generic JSON, or an incoming Slack webhook's body. */
export const ALERT_FORMATS = ["JSON", "SLACK"] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** An event to store (once per key) and post. */
export interface AlertFact {
  key: string;
  type: AlertEventType;
  wabaId: string | null;
  occurredAt: Date;
  data: AlertData;
}

/**
 * The events named in `--events a,b` (or "all"); an unknown name is an Error that lists the known
 * ones, so a typo is never stored as a target that hears nothing.
 */
export function parseAlertEvents(value: string): AlertEventType[] | typeof ALL_ALERT_EVENTS {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 1 && (names[0] === "all" || names[0] === ALL_ALERT_EVENTS)) return ALL_ALERT_EVENTS;
  if (names.length === 0) throw new Error(`expected "all" or event names separated by commas: ${ALERT_EVENT_TYPES.join(", ")}`);
  const unknown = names.filter((n) => !ALERT_EVENT_TYPES.some((t) => t === n));
  if (unknown.length)
    throw new Error(`unknown event ${unknown.map((n) => JSON.stringify(n)).join(", ")}; expected "all" or some of ${ALERT_EVENT_TYPES.join(", ")}`);
  return ALERT_EVENT_TYPES.filter((t) => names.includes(t));
}

/** Whether a target that asked for `events` gets an event of `type`. */
export function wantsEvent(events: readonly string[], type: AlertEventType): boolean {
  return events.includes(ALL_ALERT_EVENTS) || events.includes(type);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface DisconnectionFacts {
  id: string;
  wabaId: string;
  kind: string;
  phoneNumber: string | null;
  reason: string | null;
  initiatedBy: string | null;
  recommendedAction: string;
  occurredAt: Date;
  resolvedAt: Date | null;
}

/** A disconnection opened (keyed by the event that opened it) or resolved (once per disconnection). */
export function disconnectionAlert(d: DisconnectionFacts, change: "OPENED" | "RESOLVED"): AlertFact {
  const type = change === "OPENED" ? "disconnection.opened" : "disconnection.resolved";
  return {
    key: `${type}:${d.id}`,
    type,
    wabaId: d.wabaId,
    occurredAt: change === "RESOLVED" && d.resolvedAt ? d.resolvedAt : d.occurredAt,
    data: {
      disconnectionId: d.id,
      kind: d.kind,
      phoneNumber: d.phoneNumber,
      reason: d.reason,
      initiatedBy: d.initiatedBy,
      recommendedAction: d.recommendedAction,
      openedAt: d.occurredAt.toISOString(),
      resolvedAt: iso(d.resolvedAt),
    },
  };
}

/**
 * A number's inactivity level rose to WARN or CRITICAL (OK is no alert). Keyed by the last sign of
 * the app as well: each silence warns once per level, and a new silence after the app was used warns again.
 */
export function inactivityAlert(n: { phoneNumberId: string; wabaId: string; lastAppActivityAt: Date | null }, level: string, at: Date): AlertFact | null {
  if (level !== "WARN" && level !== "CRITICAL") return null;
  const type = level === "WARN" ? "inactivity.warn" : "inactivity.critical";
  return {
    key: `${type}:${n.phoneNumberId}:${iso(n.lastAppActivityAt) ?? "never"}`,
    type,
    wabaId: n.wabaId,
    occurredAt: at,
    data: { phoneNumberId: n.phoneNumberId, level, lastAppActivityAt: iso(n.lastAppActivityAt) },
  };
}

/** A template Meta paused or disabled, once per status event (Meta's time of it). */
export function templateAlert(t: {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  status: string | null;
  reason: string | null;
  changedAt: Date;
}): AlertFact | null {
  const status = t.status?.toUpperCase();
  if (status !== "PAUSED" && status !== "DISABLED") return null;
  const type = status === "PAUSED" ? "template.paused" : "template.disabled";
  return {
    key: `${type}:${t.id}:${t.changedAt.toISOString()}`,
    type,
    wabaId: t.wabaId,
    occurredAt: t.changedAt,
    data: { templateName: t.name, language: t.language, status, reason: t.reason },
  };
}

/** One of Meta's account_alerts, ACTIVE (see alertOpen in wabaSignals.ts). */
export function accountAlertOpened(
  signalId: string,
  wabaId: string,
  occurredAt: Date,
  d: { entityType: string; entityId: string; severity: string; type: string; description: string | null },
): AlertFact {
  return {
    key: `account_alert.opened:${signalId}`,
    type: "account_alert.opened",
    wabaId,
    occurredAt,
    data: { alertType: d.type, severity: d.severity, entityType: d.entityType, entityId: d.entityId, description: d.description },
  };
}

/** A stored delivery that could not be projected (FAILED; PARTIAL ones too), once per delivery. */
export function deliveryFailed(d: { id: string; status: string; error: string | null; fields: string; receivedAt: Date }): AlertFact | null {
  if (d.status !== "FAILED" && d.status !== "PARTIAL") return null;
  return {
    key: `delivery.failed:${d.id}`,
    type: "delivery.failed",
    wabaId: null,
    occurredAt: d.receivedAt,
    data: { deliveryId: d.id, status: d.status, error: d.error, fields: d.fields },
  };
}

/** The `stall` topic's event (CONTRACT.md): an offboarding or a history sync that stopped moving. */
export interface StallFacts {
  kind: "OFFBOARDING" | "HISTORY_SYNC";
  wabaId: string;
  phoneNumberId: string | null;
  disconnectionId: string | null;
}

/** Once per disconnection, or per number and sync start (`since`: when the sync started, if known). */
export function stallAlert(s: StallFacts, since: Date | null, at: Date): AlertFact {
  const type = s.kind === "OFFBOARDING" ? "offboarding.stalled" : "history_sync.stalled";
  const about = s.kind === "OFFBOARDING" ? (s.disconnectionId ?? s.phoneNumberId ?? s.wabaId) : `${s.phoneNumberId ?? s.wabaId}:${iso(since) ?? "unknown"}`;
  return {
    key: `${type}:${about}`,
    type,
    wabaId: s.wabaId,
    occurredAt: at,
    data: { phoneNumberId: s.phoneNumberId, disconnectionId: s.disconnectionId, since: iso(since) },
  };
}

/** A number's contact or history sync still not requested, with the 24-hour deadline closer than the lead. Once per onboarding. */
export function deadlineAlert(
  n: { phoneNumberId: string; wabaId: string },
  onboardedAt: Date,
  deadlineAt: Date,
  missing: readonly string[],
  at: Date,
): AlertFact {
  return {
    key: `history_sync.deadline_approaching:${n.phoneNumberId}:${onboardedAt.toISOString()}`,
    type: "history_sync.deadline_approaching",
    wabaId: n.wabaId,
    occurredAt: at,
    data: { phoneNumberId: n.phoneNumberId, onboardedAt: onboardedAt.toISOString(), deadlineAt: deadlineAt.toISOString(), notRequested: missing.join(",") },
  };
}
