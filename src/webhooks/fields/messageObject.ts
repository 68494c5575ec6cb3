import { z } from "zod";
import type { Referral } from "../../domain/mirrorEvents.ts";
import { editSchema, messageContentSchema } from "../../domain/messageContent.ts";
import { metaErrorSchema, optionalString, rawPhone, rawUnixSeconds, rawUserId } from "./mirrorCommon.ts";

// Message objects (messages[], message_echoes[], history threads[].messages[], edit.message).
// Like every schema of the mirror fields they never transform (see mirrorCommon.ts): what they
// output is what Meta sent, stored as `content`. The body's schema is the domain's
// (src/domain/messageContent.ts), the one the API decodes a stored message with.

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

const originalMessageId = z.string().min(1, "original_message_id must not be empty");

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
