import type { AlertData } from "./alertData.ts";
import type { AlertEventType, AlertFormat } from "./alertEvents.ts";

/** A stored event as a target receives it. */
export interface PostedEvent {
  /** The AlertEvent's id: the same on every retry and replay of it (a receiver's idempotency key). */
  id: string;
  type: AlertEventType;
  wabaId: string | null;
  occurredAt: Date;
  data: AlertData;
}

/**
 * The generic JSON body (docs/alerts.md): `{ id, type, occurredAt, wabaId, attempt, data }`.
 * `attempt` changes with a replay; `id` does not.
 */
export function jsonBody(e: PostedEvent, attemptId: string): string {
  return JSON.stringify({ id: e.id, type: e.type, occurredAt: e.occurredAt.toISOString(), wabaId: e.wabaId, attempt: attemptId, data: e.data });
}

/** One line a person reads: what happened, to what, and the detail that matters. */
export function alertSummary(e: PostedEvent): string {
  const d = e.data;
  const waba = e.wabaId ? ` (WABA ${e.wabaId})` : "";
  const number = typeof d.phoneNumberId === "string" ? ` number ${d.phoneNumberId}` : "";
  switch (e.type) {
    case "disconnection.opened":
      return `Disconnected${waba}: ${String(d.kind)}${d.reason ? `, ${String(d.reason)}` : ""}. Recommended: ${String(d.recommendedAction)}`;
    case "disconnection.resolved":
      return `Reconnected${waba}: ${String(d.kind)} resolved`;
    case "offboarding.stalled":
      return `Reonboarding has not completed${waba}: ask the business to finish registration in the app`;
    case "history_sync.stalled":
      return `History sync stalled for${number}${waba}`;
    case "inactivity.warn":
    case "inactivity.critical":
      return `${e.type === "inactivity.warn" ? "Warning" : "Critical"}:${number}${waba} — the WhatsApp Business app has not been used since ${String(d.lastAppActivityAt ?? "never")}; Meta disconnects after about 14 days`;
    case "template.paused":
    case "template.disabled":
      return `Template ${String(d.templateName)} (${String(d.language)}) ${String(d.status).toLowerCase()}${waba}${d.reason ? `: ${String(d.reason)}` : ""}`;
    case "account_alert.opened":
      return `Meta account alert ${String(d.alertType)} (${String(d.severity)})${waba}${d.description ? `: ${String(d.description)}` : ""}`;
    case "delivery.failed":
      return `Webhook delivery ${String(d.deliveryId)} ${String(d.status)}: ${String(d.error ?? "see hub replay")}`;
    case "history_sync.deadline_approaching":
      return `Sync deadline at ${String(d.deadlineAt)} for${number}${waba}: ${String(d.notRequested)} not requested yet`;
  }
}

/** An incoming Slack webhook's body: the summary as text (the notification), and a section with the event's data. */
export function slackBody(e: PostedEvent): string {
  const text = alertSummary(e);
  const facts = Object.entries(e.data)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `*${k}*: ${String(v)}`)
    .join("\n");
  return JSON.stringify({
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${e.type}* — ${text}` } },
      ...(facts ? [{ type: "section", text: { type: "mrkdwn", text: facts } }] : []),
    ],
  });
}

export function alertBody(format: AlertFormat, e: PostedEvent, attemptId: string): string {
  return format === "SLACK" ? slackBody(e) : jsonBody(e, attemptId);
}
