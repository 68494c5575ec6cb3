import type { InboxMessageFragment, SendState } from "../generated/graphql.ts";

type Send = NonNullable<InboxMessageFragment["send"]>;

/**
 * A send's reason (Send.reason, a code the hub sets: docs/sending.md) in words for an agent:
 * what happened, and what to do when there is something to do.
 */
const REASON_WORDS: Record<string, string> = {
  ACCOUNT_OFFBOARDED: "paused: the number is being reconnected. It goes out by itself once Meta reconnects it.",
  HOLD_EXPIRED: "the number stayed disconnected too long, so the hub gave up.",
  PARTNER_REMOVED: "removed: the business removed us as its partner. Onboard the business again.",
  PARTNER_APP_UNINSTALLED: "removed: the business uninstalled our app. Ask it to install the app again.",
  ACCOUNT_DELETED: "the business's WhatsApp account was deleted.",
  DISABLED: "the business's WhatsApp account is disabled by Meta.",
  RESTRICTED_CUSTOMER_INITIATED_MESSAGING: "Meta restricts this number from replying to customers for now.",
  RESTRICTED_BIZ_INITIATED_MESSAGING: "Meta restricts this number from starting conversations (templates) for now.",
  META_ERROR: "Meta refused it.",
  RETRYING: "Meta was busy; the hub tries again by itself.",
  INTERRUPTED: "the hub stopped while sending it: it may or may not have reached the customer (sending again may give them two).",
  NO_ANSWER: "Meta did not answer: it may or may not have reached the customer (sending again may give them two).",
};

export function sendReasonWords(reason: string | null | undefined): string | null {
  if (!reason) return null;
  return REASON_WORDS[reason] ?? reason.toLowerCase().replaceAll("_", " ");
}

const STATE_WORDS: Record<SendState, string> = {
  QUEUED: "Queued",
  SENDING: "Sending",
  ACCEPTED: "Accepted by Meta",
  HELD: "Held",
  FAILED: "Not sent",
  UNKNOWN: "Not known whether sent",
};

export function sendStateWords(send: Send): string {
  return STATE_WORDS[send.state];
}

/** "Send again" is offered for a send that is over without reaching Meta, or that nobody can tell. */
export const canSendAgain = (send: Send) => send.state === "FAILED" || send.state === "UNKNOWN";

/** Meta's error of the last attempt in one line: "Message undeliverable (131026)". */
export function sendErrorLine(send: Send): string | null {
  const e = send.error;
  if (!e) return null;
  // Meta's message first: for a send the hub records Meta's error `type` (e.g. OAuthException) as the title.
  const words = e.message ?? e.details ?? e.title;
  if (!words) return e.code ? `error ${e.code}` : null;
  return e.code ? `${words} (${e.code})` : words;
}
