import type { ConnectionState, DeliveryStatus, DisconnectionKind, DisconnectionReason, RecommendedAction } from "./generated/graphql.ts";

/** The hub's codes in plain words for people (docs/webhook-contract.md has the rules behind them). */

export const STATE_WORDS: Record<ConnectionState, string> = {
  CONNECTED: "Connected",
  OFFBOARDED: "Offboarded",
  DISCONNECTED: "Disconnected",
  DELETED: "Deleted",
};

/** The colour a badge is shown in: one class per tone in styles.css (`tone-ok`, `tone-warn`, `tone-bad`). */
export type Tone = "ok" | "warn" | "bad";

export const STATE_TONES: Record<ConnectionState, Tone> = { CONNECTED: "ok", OFFBOARDED: "warn", DISCONNECTED: "bad", DELETED: "bad" };

export const DELIVERY_TONES: Record<DeliveryStatus, Tone> = { PROCESSED: "ok", PARTIAL: "warn", RECEIVED: "warn", FAILED: "bad" };

export const KIND_WORDS: Record<DisconnectionKind, string> = {
  PARTNER_REMOVED: "Partner removed",
  ACCOUNT_OFFBOARDED: "Offboarded from the Cloud API",
  PARTNER_APP_UNINSTALLED: "Our app was uninstalled",
  ACCOUNT_DELETED: "Account deleted",
};

export const ACTION_WORDS: Record<RecommendedAction, string> = {
  PROMPT_RECONNECT: "Ask the business to open the WhatsApp Business app and reconnect.",
  CONFIRM_WITH_BUSINESS: "Confirm with the business what happened before doing anything.",
  NO_REENGAGEMENT: "Do not chase the business: it chose to leave.",
  REONBOARD_NEW_NUMBER: "Onboard the business again with its new number.",
  REONBOARD: "Onboard the business again (the number was re-registered).",
  REQUEST_REAUTHORIZATION: "Ask the business to install our app again and re-authorize it.",
  PAUSE_AND_AWAIT_RECONNECT: "Pause sending; Meta reconnects the number by itself within minutes.",
  STOP_SERVICE: "Stop the service for this account: deletion is final.",
  FINISH_REONBOARDING: "Reonboarding has not completed: ask the business to finish registration in the WhatsApp Business app.",
};

const REASON_WORDS: Record<Exclude<DisconnectionReason, "OTHER">, string> = {
  PRIMARY_INACTIVITY: "the phone with the WhatsApp Business app was inactive too long",
  COMPANION_INACTIVITY: "a companion device was inactive too long",
  BUSINESS_DOWNGRADE: "the business moved to a plan without coexistence",
  CHANGE_NUMBER: "the business changed its number",
  USER_RE_REGISTERED: "the number was registered again",
};

/** The reason the server decoded, in words; one this version does not know (OTHER) is shown as Meta sent it. */
export function reasonWords(code: DisconnectionReason | null | undefined, raw: string | null | undefined): string {
  if (!code) return "no reason given";
  if (code === "OTHER") return raw ? raw.toLowerCase().replaceAll("_", " ") : "a reason Meta did not name";
  return REASON_WORDS[code];
}

/** A phone number (digits, as the hub stores it) as people read it: "+16505551234". The one place the "+" is added. */
export function phoneNumberWords(digits: string): string {
  return `+${digits.replace(/^\+/, "")}`;
}

export function initiatorWords(initiatedBy: string | null | undefined): string {
  switch (initiatedBy) {
    case "USER":
      return "by the business";
    case "SYSTEM":
      return "by Meta's system";
    case null:
    case undefined:
      return "initiator unknown";
    default:
      return `by ${initiatedBy.toLowerCase()}`;
  }
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function when(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : "never";
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "2 days ago", "3 hours ago", "in 5 hours": how far an ISO time is from `now`, in the largest whole unit. */
export function fromNow(iso: string, now: Date = new Date()): string {
  const ms = new Date(iso).getTime() - now.getTime();
  const sign = ms < 0 ? -1 : 1;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 60) return relative.format(sign * minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return relative.format(sign * hours, "hour");
  return relative.format(sign * Math.floor(hours / 24), "day");
}
