import type { ReplyGateQuery } from "../generated/graphql.ts";
import { ACTION_WORDS, fromNow, when } from "../words.ts";

type GateThread = NonNullable<ReplyGateQuery["thread"]>;

/** What the box offers: free text (with replies and reactions), a template picker, or nothing. */
export type ReplyMode = "text" | "template" | "none";

export interface ReplyGate {
  mode: ReplyMode;
  /** Why the box is not the plain text box, and what to do; null when it is. */
  notice: { tone: "warn" | "bad"; why: string; todo: string | null } | null;
  /** Free text is possible until then (the window's end), when it is. */
  until: string | null;
}

const TEMPLATES_ONLY = "Choose an approved template below. Free text is possible again once they write.";

/**
 * The reply box's rules, read from what the hub says (Thread.serviceWindow, PhoneNumber.sending:
 * the same facts sendMessage checks, docs/sending.md), in words for the agent before they type.
 */
export function replyGate(t: GateThread, who: string, now: Date = new Date()): ReplyGate {
  const { sending } = t.phoneNumber;
  const window = t.serviceWindow;
  const until = window.open ? (window.expiresAt ?? null) : null;
  const lastWrote = window.openedBy ? `${who} last wrote ${fromNow(window.openedBy.timestamp, now)}` : `${who} has not written to this number yet`;
  const outsideWindow = { tone: "warn" as const, why: `Template required: ${lastWrote}.`, todo: TEMPLATES_ONLY };
  const action = sending.recommendedAction ? ACTION_WORDS[sending.recommendedAction] : null;

  if (sending.reason === "NOT_CONFIGURED")
    return {
      mode: "none",
      until: null,
      notice: { tone: "bad", why: "Sending is not configured: the hub has no Graph API token.", todo: "Ask whoever runs the hub to set GRAPH_API_TOKEN." },
    };
  if (sending.held)
    return {
      mode: window.open ? "text" : "template",
      until,
      notice: {
        tone: "warn",
        why: "Paused: the number is being reconnected.",
        todo: `What you send now waits, and goes out once Meta reconnects the number (usually within minutes).${window.open ? "" : ` ${lastWrote}, so only a template can be sent.`}`,
      },
    };
  if (!sending.canSend) return { mode: "none", until: null, notice: { tone: "bad", ...cannotSend(sending.reason ?? null, action) } };
  if (sending.reason === "RESTRICTED_CUSTOMER_INITIATED_MESSAGING")
    return {
      mode: "template",
      until: null,
      notice: {
        tone: "warn",
        why: "Restricted: Meta does not let this number reply to customers for now.",
        todo: "Only a template can be sent until the restriction ends.",
      },
    };
  if (sending.reason === "RESTRICTED_BIZ_INITIATED_MESSAGING" && !window.open)
    return {
      mode: "none",
      until: null,
      notice: {
        tone: "bad",
        why: `Restricted: Meta does not let this number send templates for now, and ${lastWrote}.`,
        todo: "Wait until they write, or until the restriction ends.",
      },
    };
  if (!window.open) return { mode: "template", until: null, notice: outsideWindow };
  return { mode: "text", until, notice: null };
}

function cannotSend(reason: string | null, action: string | null): { why: string; todo: string | null } {
  switch (reason) {
    case "PARTNER_REMOVED":
      return { why: "Removed: the business removed us as its partner.", todo: action ?? "Onboard the business again." };
    case "PARTNER_APP_UNINSTALLED":
      return { why: "Removed: the business uninstalled our app.", todo: action ?? "Ask the business to install the app again." };
    case "ACCOUNT_DELETED":
      return { why: "Deleted: the business's WhatsApp account no longer exists.", todo: action };
    case "DISABLED":
      return { why: "Disabled: Meta disabled the business's WhatsApp account.", todo: action };
    default:
      return { why: `This number cannot send (${(reason ?? "no reason given").toLowerCase().replaceAll("_", " ")}).`, todo: action };
  }
}

/** "You can write freely until 3:32 PM" for an open window. */
export const untilWords = (iso: string) => `Free text until ${when(iso)} (24 hours after their last message).`;
