import { z } from "zod";
import { BSUID_PATTERN, type BusinessNumber, type MessageStatus, type MetaError, type Referral } from "../../domain/mirrorEvents.ts";
import { describeIssues, metaId, type WebhookChange } from "../envelope.ts";
import { FieldParseError } from "./parse.ts";

// The schemas for message and status objects never transform: what they output is deep-equal to
// the object Meta sent (unknown keys kept; zod rebuilds objects, so only key order may differ),
// so it can be stored as `content` / `raw`. Conversions (dates, digits, error codes) happen in the
// functions below instead.

/** Unix seconds as Meta sends them: a numeric string or a number. Converted by `unixDate`. */
export const rawUnixSeconds = z.union([
  z.number().finite().nonnegative(),
  z.string().regex(/^\d+$/, "expected unix seconds"),
]);

export function unixDate(value: z.infer<typeof rawUnixSeconds>): Date {
  return new Date(Number(value) * 1000);
}

/**
 * A phone number as Meta sends it: string (possibly with "+", spaces) or number; compared via
 * digits(). Letters are refused: digits("US.13491208655302741918") would turn a business-scoped
 * user id into a phone number that belongs to somebody else.
 */
export const rawPhone = z.union([
  z
    .string()
    .regex(/\d/, "expected a phone number")
    .refine((s) => !/[A-Za-z]/.test(s), "expected a phone number, not a business-scoped user id"),
  z.number().int().nonnegative(),
]);

/** A business-scoped user id (BSUID), kept exactly as sent. */
export const rawUserId = z.string().regex(BSUID_PATTERN, "expected a business-scoped user id like US.13491208655302741918");

/** A count Meta documents as a number; some partner examples quote it. */
// Phases, chunk orders and progress are small whole numbers; anything else is refused here rather
// than stored and then unreadable.
export const count = z
  .union([z.number(), z.string().regex(/^\d{1,9}$/, "expected a whole number")])
  .transform(Number)
  .pipe(z.number().int("expected a whole number").nonnegative().max(1_000_000_000));

const optionalString = z.string().optional();

// ---------------------------------------------------------------------------------------------
// value.metadata → BusinessNumber

export const metadataSchema = z.looseObject({
  display_phone_number: z.union([z.string(), z.number()]).optional(),
  phone_number_id: metaId,
});

/** The business number of a change: the WABA is the entry id for these fields (no waba_info here). */
export function businessNumber(change: WebhookChange, metadata: z.infer<typeof metadataSchema>): BusinessNumber {
  const display = metadata.display_phone_number;
  return {
    phoneNumberId: metadata.phone_number_id,
    displayPhoneNumber: display === undefined || display === "" ? null : String(display),
    wabaId: change.entryId,
  };
}

// ---------------------------------------------------------------------------------------------
// Meta's error object → MetaError

export const metaErrorSchema = z.looseObject({
  code: z.union([z.number().int(), z.string().regex(/^-?\d+$/, "expected an error code")]).optional(),
  title: optionalString,
  message: optionalString,
  error_data: z.looseObject({ details: optionalString }).optional(),
});

export type RawMetaError = z.infer<typeof metaErrorSchema>;

export function toMetaError(error: RawMetaError): MetaError {
  return {
    code: error.code === undefined ? null : Number(error.code),
    title: error.title ?? null,
    message: error.message ?? null,
    details: error.error_data?.details ?? null,
  };
}

export function toMetaErrors(errors: readonly RawMetaError[] | undefined): MetaError[] {
  return (errors ?? []).map(toMetaError);
}

// ---------------------------------------------------------------------------------------------
// Message objects (messages[], message_echoes[], history threads[].messages[], edit.message)

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
  contacts: z
    .array(z.looseObject({ name: z.looseObject({ formatted_name: optionalString }).optional() }))
    .optional(),
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
const editSchema = z.looseObject({ original_message_id: originalMessageId, message: messageContentSchema });

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

function nonEmpty(value: string | undefined | null): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value;
}

type TextExtractor = (content: MessageContent) => string | null;

const TEXT_OF: Record<string, TextExtractor> = {
  text: (c) => nonEmpty(c.text?.body),
  image: (c) => nonEmpty(c.image?.caption),
  video: (c) => nonEmpty(c.video?.caption),
  sticker: (c) => nonEmpty(c.sticker?.caption),
  // A document without caption is still recognisable by its file name.
  document: (c) => nonEmpty(c.document?.caption) ?? nonEmpty(c.document?.filename),
  interactive: (c) =>
    nonEmpty(c.interactive?.button_reply?.title) ??
    nonEmpty(c.interactive?.list_reply?.title) ??
    nonEmpty(c.interactive?.nfm_reply?.body),
  button: (c) => nonEmpty(c.button?.text),
  location: (c) => nonEmpty([c.location?.name, c.location?.address].filter((s) => nonEmpty(s)).join(", ")),
  contacts: (c) => nonEmpty(c.contacts?.[0]?.name?.formatted_name),
  // An empty emoji is how Meta says a reaction was removed: nothing to read then.
  reaction: (c) => nonEmpty(c.reaction?.emoji),
  order: (c) => nonEmpty(c.order?.text),
  system: (c) => nonEmpty(c.system?.body),
  // An edit reads as its replacement; `edit` is untyped on a bare content object, hence the check.
  edit: (c) => {
    const edit = editSchema.safeParse(c.edit);
    return edit.success ? messageText(edit.data.message) : null;
  },
};

/**
 * The readable text of a message of any type: text.body, a media caption, the chosen reply's
 * title, a location's name and address, the first shared contact's name, a reaction's emoji, an
 * order's or a system message's text. Null for types without text (audio, media_placeholder,
 * unsupported, revoke, ...); an edit reads as its replacement message.
 */
export function messageText(message: MessageContent): string | null {
  const type = contentType(message);
  // Own keys only: a type like "constructor" or "__proto__" must not find Object.prototype's members.
  const extractor = Object.hasOwn(TEXT_OF, type) ? TEXT_OF[type] : undefined;
  return extractor ? extractor(message) : null;
}

// ---------------------------------------------------------------------------------------------
// Status strings → MessageStatus

// Keys are lower case; the lookup lower-cases its input (history sends "READ", statuses "read").
// "pending" is the clock icon: not yet accepted by WhatsApp's server, so PENDING. "server_ack" is
// the server's acknowledgement (one tick), which is what Cloud API calls "sent", so SENT;
// "delivery_ack" likewise means DELIVERED. "error" is how history spells a failed message.
const STATUS_OF: Record<string, MessageStatus> = {
  pending: "PENDING",
  server_ack: "SENT",
  sent: "SENT",
  delivery_ack: "DELIVERED",
  delivered: "DELIVERED",
  read: "READ",
  played: "PLAYED",
  failed: "FAILED",
  error: "FAILED",
};

/** A status string from history_context.status or statuses[].status; null when not a delivery state. */
export function toStatus(status: string | null | undefined): MessageStatus | null {
  if (!status) return null;
  const key = status.trim().toLowerCase();
  return Object.hasOwn(STATUS_OF, key) ? STATUS_OF[key]! : null;
}

// ---------------------------------------------------------------------------------------------
// Parsing a nested part with a path in the error

/**
 * Parses `value` found at `path` of the change's value; a mismatch is a FieldParseError naming
 * the full path (for parts checked only once their kind is known, e.g. a state_sync contact).
 */
export function parseAt<T extends z.ZodType>(
  schema: T,
  value: unknown,
  change: WebhookChange,
  path: readonly (string | number)[],
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
    throw new FieldParseError(change, describeIssues(new z.ZodError(issues)));
  }
  return result.data;
}
