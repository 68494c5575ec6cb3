import { z } from "zod";
import type { Referral } from "../../domain/mirrorEvents.ts";
import { metaErrorSchema, optionalString, rawPhone, rawUnixSeconds, rawUserId } from "./mirrorCommon.ts";

// Message objects (messages[], message_echoes[], history threads[].messages[], edit.message).
// Like every schema of the mirror fields they never transform (see mirrorCommon.ts): what they
// output is what Meta sent, stored as `content`.

// Only the keys messageText reads are typed; each per-type object stays loose because Meta
// keeps adding keys (e.g. media `url`, `voice`, `animated`).
const media = z.looseObject({ caption: optionalString, filename: optionalString, id: optionalString });
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

const originalMessageId = z.string().min(1, "original_message_id must not be empty");
export const editSchema = z.looseObject({ original_message_id: originalMessageId, message: messageContentSchema });

/**
 * `referral` of an inbound message that follows a click on a click-to-WhatsApp ad or post (Meta's
 * text messages webhook reference, "Ad click"). Every key optional: Meta leaves out what the ad
 * does not have (e.g. `video_url` of an image ad).
 */
const referralSchema = z.looseObject({
  source_url: optionalString,
  source_id: optionalString,
  source_type: optionalString,
  headline: optionalString,
  body: optionalString,
  media_type: optionalString,
  image_url: optionalString,
  video_url: optionalString,
  thumbnail_url: optionalString,
  ctwa_clid: optionalString,
});

export function toReferral(referral: z.infer<typeof referralSchema> | undefined): Referral | null {
  if (!referral) return null;
  return {
    sourceUrl: referral.source_url ?? null,
    sourceId: referral.source_id ?? null,
    sourceType: referral.source_type ?? null,
    headline: referral.headline ?? null,
    body: referral.body ?? null,
    mediaType: referral.media_type ?? null,
    imageUrl: referral.image_url ?? null,
    videoUrl: referral.video_url ?? null,
    thumbnailUrl: referral.thumbnail_url ?? null,
    ctwaClid: referral.ctwa_clid ?? null,
  };
}

/** One message as Meta sends it in any of the thread-mirror fields. */
export const messageSchema = messageContentSchema.extend({
  // Optional since 2026: a user with a username may be named only by from_user_id.
  from: rawPhone.optional(),
  to: rawPhone.optional(),
  id: z.string().min(1, "message id must not be empty"),
  timestamp: rawUnixSeconds,
  type: z.string().min(1, "message type must not be empty"),
  errors: z.array(metaErrorSchema).optional(),
  history_context: z.looseObject({ status: optionalString }).optional(),
  edit: editSchema.optional(),
  revoke: z.looseObject({ original_message_id: originalMessageId }).optional(),
  // Business-scoped user ids Meta is adding beside phone numbers.
  from_user_id: rawUserId.optional(),
  to_user_id: rawUserId.optional(),
  from_parent_user_id: optionalString,
  referral: referralSchema.optional(),
});
export type MessageObject = z.infer<typeof messageSchema>;

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
