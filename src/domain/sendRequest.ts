import { z } from "zod";
import { isBsuid } from "./identityKey.ts";

/**
 * What a send says and to whom, and the body Meta's POST /{phone-number-id}/messages takes for it
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages).
 */

export const SEND_STATES = ["QUEUED", "HELD", "SENDING", "ACCEPTED", "FAILED", "UNKNOWN"] as const;
export type SendState = (typeof SEND_STATES)[number];

/** Sends not done yet: `PhoneNumber.sending.queued` counts them. */
export const WAITING_SEND_STATES = ["QUEUED", "HELD", "SENDING"] as const satisfies readonly SendState[];

/**
 * Sends a client may send again (retrySend): FAILED, and UNKNOWN, which Meta may have delivered
 * already; the hub never sends either again by itself.
 */
export const RETRIABLE_SEND_STATES = ["FAILED", "UNKNOWN"] as const satisfies readonly SendState[];

export const MEDIA_KINDS = ["IMAGE", "VIDEO", "AUDIO", "DOCUMENT", "STICKER"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Exactly one of these is given; each is the part of the body its `type` names. */
export type SendContent =
  | { kind: "text"; body: string }
  | { kind: "media"; media: MediaKind; link: string | null; id: string | null; caption: string | null; filename: string | null }
  | { kind: "template"; name: string; language: string; components: unknown[] | null }
  | { kind: "reaction"; wamid: string; emoji: string };

/** Meta's addressing: a phone number goes in `to`, a business-scoped user id in `recipient`, never mangled into `to`. */
export type Address = { to: string } | { recipient: string };

/** How to reach a user the hub knows: by phone when it has one, else by BSUID. */
export function addressOf(user: { waId: string | null; userId: string | null }): Address | null {
  if (user.waId) return { to: user.waId };
  if (user.userId && isBsuid(user.userId)) return { recipient: user.userId };
  return null;
}

/** The body of the POST, as stored with the send (so what was sent can be shown and retried). */
export function requestBody(address: Address, content: SendContent, replyTo: string | null): Record<string, unknown> {
  const body: Record<string, unknown> = { messaging_product: "whatsapp", recipient_type: "individual", ...address };
  switch (content.kind) {
    case "text":
      Object.assign(body, { type: "text", text: { body: content.body } });
      break;
    case "media": {
      const type = content.media.toLowerCase();
      const object = { ...(content.id ? { id: content.id } : { link: content.link }), ...withValues({ caption: content.caption, filename: content.filename }) };
      Object.assign(body, { type, [type]: object });
      break;
    }
    case "template":
      Object.assign(body, {
        type: "template",
        template: { name: content.name, language: { code: content.language }, ...(content.components ? { components: content.components } : {}) },
      });
      break;
    case "reaction":
      Object.assign(body, { type: "reaction", reaction: { message_id: content.wamid, emoji: content.emoji } });
      break;
  }
  // Meta takes a reply's context on every type but reactions (a reaction names its message itself).
  if (replyTo && content.kind !== "reaction") body.context = { message_id: replyTo };
  return body;
}

/**
 * A read receipt for a user's message, with Meta's typing indicator when `typing` (shown until the
 * business answers, or 25 s): https://developers.facebook.com/documentation/business-messaging/whatsapp/typing-indicators/
 */
export function readReceiptBody(wamid: string, typing: boolean): Record<string, unknown> {
  return { messaging_product: "whatsapp", status: "read", message_id: wamid, ...(typing ? { typing_indicator: { type: "text" } } : {}) };
}

/** The text the thread shows for a send (a template shows its name until Meta's statuses say more). */
export function displayText(content: SendContent): string | null {
  switch (content.kind) {
    case "text":
      return content.body;
    case "media":
      return content.caption;
    case "template":
      return null;
    case "reaction":
      return content.emoji;
  }
}

/** Meta's `type` for the stored message. */
export function messageType(content: SendContent): string {
  return content.kind === "media" ? content.media.toLowerCase() : content.kind;
}

const withValues = (o: Record<string, string | null>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

/** The stored request body, read back (Send.request). */
export const requestRecord = z.record(z.string(), z.unknown());
