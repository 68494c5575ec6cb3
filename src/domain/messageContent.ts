import { z } from "zod";
import { rawPhone, rawUserId } from "./rawIdentifiers.ts";

/**
 * A message object's content as Meta sends it (messages[], message_echoes[], history
 * threads[].messages[], edit.message), and as the hub stores it (Message.content). One schema for
 * both ends: the webhook parsers accept with it, and the API decodes a stored message with it, so
 * the two cannot read a message differently. It never transforms: what it outputs is what Meta sent.
 */

const optionalString = z.string().optional();

// Only the keys the decoders read are typed; each per-type object stays loose because Meta keeps
// adding keys (e.g. media `url`, `voice`, `animated`).
const media = z.looseObject({ caption: optionalString, filename: optionalString, mime_type: optionalString, id: optionalString });
const titled = z.looseObject({ id: optionalString, title: optionalString });

const perTypeContent = {
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  audio: media.optional(),
  interactive: z
    .looseObject({
      type: optionalString,
      button_reply: titled.optional(),
      list_reply: titled.extend({ description: optionalString }).optional(),
      nfm_reply: z.looseObject({ name: optionalString, body: optionalString, response_json: optionalString }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: optionalString, payload: optionalString }).optional(),
  location: z
    .looseObject({
      latitude: z.number().optional(),
      longitude: z.number().optional(),
      name: optionalString,
      address: optionalString,
      url: optionalString,
    })
    .optional(),
  contacts: z.array(z.looseObject({ name: z.looseObject({ formatted_name: optionalString }).optional() })).optional(),
  reaction: z.looseObject({ message_id: optionalString, emoji: optionalString }).optional(),
  order: z.looseObject({ catalog_id: optionalString, text: optionalString }).optional(),
  // A template the business sent (through the hub: the request body is the message's content).
  template: z.looseObject({ name: optionalString }).optional(),
  // user_changed_number names the new wa_id; user_changed_user_id the new user_id (BSUID).
  system: z
    .looseObject({
      body: optionalString,
      type: optionalString,
      wa_id: rawPhone.optional(),
      user_id: rawUserId.optional(),
      parent_user_id: optionalString,
      // Since August 2026 both identity changes also name the identifiers they replace.
      previous_user_id: rawUserId.optional(),
      previous_parent_user_id: optionalString,
    })
    .optional(),
};

/** A message body without its envelope keys: what edit.message carries. */
export const messageContentSchema = z.looseObject({ type: z.string().min(1).optional(), ...perTypeContent });
export type MessageContent = z.infer<typeof messageContentSchema>;

/**
 * A whole message object as stored: the body and the sender's identifiers (`from`, `from_user_id`),
 * which an identity change reads as the identifiers it replaces.
 */
export const storedMessageSchema = messageContentSchema.extend({ from: rawPhone.optional(), from_user_id: rawUserId.optional() });
export type StoredMessage = z.infer<typeof storedMessageSchema>;

const originalMessageId = z.string().min(1, "original_message_id must not be empty");
export const editSchema = z.looseObject({ original_message_id: originalMessageId, message: messageContentSchema });

/** Types whose content object sits under the key of the same name. */
const CONTENT_KEYS = [
  "text",
  "image",
  "video",
  "audio",
  "document",
  "sticker",
  "interactive",
  "button",
  "location",
  "contacts",
  "reaction",
  "order",
  "system",
] as const;

/** edit.message may come without `type`; then the content key it carries says what it is. */
export function contentType(content: MessageContent): string {
  return content.type ?? CONTENT_KEYS.find((key) => content[key] !== undefined) ?? "unknown";
}

export function nonEmpty(value: string | undefined | null): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value;
}

// The facts both the text and the details of a message read, each read one way.

/** The chosen reply of an interactive message or a template's quick-reply button. */
export function replyTitle(c: MessageContent): string | null {
  return nonEmpty(c.interactive?.button_reply?.title) ?? nonEmpty(c.interactive?.list_reply?.title) ?? nonEmpty(c.button?.text);
}

/** The first shared contact's name. */
export function sharedContactName(c: MessageContent): string | null {
  return nonEmpty(c.contacts?.[0]?.name?.formatted_name);
}
