import { z } from "zod";
/**
 * What the thread mirror is told by the `messages`, `history`, `smb_message_echoes` and
 * `smb_app_state_sync` webhook fields, after the transport parsed them. Pure data: the
 * storage layer applies these idempotently (wamid unique per business phone number).
 *
 * Phone numbers (wa_id, from, to, thread ids) are compared as digits only: an echo's `to` can
 * carry a leading "+", so every parser passes them through `digits()`. A user may also be known
 * by a business-scoped user id (BSUID, e.g. "US.13491208655302741918") instead of, or beside, a
 * phone number: see UserRef.
 */

export const MESSAGE_DIRECTIONS = ["INBOUND", "OUTBOUND"] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const MESSAGE_SOURCES = ["HISTORY", "ECHO", "WEBHOOK", "API"] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

import type { MessageConversation, MessagePricing } from "./statusBilling.ts";
import type { MessageStatus } from "./messageStatus.ts";

/**
 * What a commit did to a message, as its subscription event says it: CREATED (stored for the first
 * time, whatever else the same commit did to it) or UPDATED (merged, edited, revoked, a status, or
 * shown under a user who now reads differently).
 */
export const MESSAGE_CHANGES = ["CREATED", "UPDATED"] as const;
export type MessageChange = (typeof MESSAGE_CHANGES)[number];

export const HISTORY_SYNC_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "COMPLETE", "DECLINED"] as const;
export type HistorySyncStatus = (typeof HISTORY_SYNC_STATUSES)[number];

/** The business phone number a change is about (value.metadata). */
export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  wabaId: string;
}

/** Meta's error object as it comes (code, title, message, error_data.details), as stored. */
export const metaErrorRecord = z.object({
  code: z.number().nullable(),
  title: z.string().nullable(),
  message: z.string().nullable(),
  details: z.string().nullable(),
});
export type MetaError = z.infer<typeof metaErrorRecord>;

/**
 * How a payload names the WhatsApp user on the other side of a thread: by phone number, by
 * business-scoped user id, or both (which ties the two together for good). Both null only for
 * history media without a recipient, found through its wamid.
 */
export interface UserRef {
  /** Phone number, digits only. */
  waId: string | null;
  /** Business-scoped user id, as Meta sent it (never passed through digits()). */
  userId: string | null;
}

export interface MessageInput {
  kind: "message";
  business: BusinessNumber;
  /** The other side of the thread. */
  user: UserRef;
  wamid: string;
  direction: MessageDirection;
  source: MessageSource;
  /** Meta's message type as it came: text, image, ..., media_placeholder, unsupported, ... */
  type: string;
  /** The readable text, when the type has one: text.body, a media caption, an interactive reply title, ... */
  text: string | null;
  /** The whole message object as Meta sent it. */
  content: Record<string, unknown>;
  timestamp: Date;
  /** history_context.status (history) mapped to MessageStatus, when given. */
  status: MessageStatus | null;
  /** errors[] of the message (e.g. 131060 on `unsupported`). */
  errors: MetaError[];
  /** The click-to-WhatsApp ad or post the user came from (`referral`, on the first message after the click). */
  referral: Referral | null;
}

/**
 * Meta's `referral` object of an inbound message (click-to-WhatsApp ads and posts), each key as
 * sent or null; the message's `content` keeps it whole as well. Stored as Message.referral.
 */
export const referralRecord = z.object({
  sourceUrl: z.string().nullable(),
  sourceId: z.string().nullable(),
  /** "ad" or "post". */
  sourceType: z.string().nullable(),
  headline: z.string().nullable(),
  body: z.string().nullable(),
  /** "image" or "video". */
  mediaType: z.string().nullable(),
  imageUrl: z.string().nullable(),
  videoUrl: z.string().nullable(),
  thumbnailUrl: z.string().nullable(),
  /** Click id for Meta's Conversions API. */
  ctwaClid: z.string().nullable(),
});
export type Referral = z.infer<typeof referralRecord>;

/** Who reacted to a message: the user of the thread (`messages`), or the business (an echo from the app). */
export const REACTORS = ["USER", "BUSINESS"] as const;
export type Reactor = (typeof REACTORS)[number];

/**
 * A message of type `reaction` that names its target (`reaction.message_id`): it sets the
 * reactor's emoji on the target message, or removes it when the emoji is absent or empty (how
 * Meta reports a removed reaction). Not a message of the thread itself.
 */
export interface ReactionInput {
  kind: "reaction";
  business: BusinessNumber;
  user: UserRef;
  /** The reaction's own wamid. */
  wamid: string;
  /** The message reacted to (reaction.message_id); named like an edit's target so the pending path finds it. */
  originalWamid: string;
  reactor: Reactor;
  /** Null: the reactor removed their reaction. */
  emoji: string | null;
  timestamp: Date;
}

export interface EditInput {
  kind: "edit";
  business: BusinessNumber;
  user: UserRef;
  /** The edit's own wamid (identity of this edit). */
  wamid: string;
  originalWamid: string;
  /** The replacement message object (edit.message). */
  content: Record<string, unknown>;
  type: string;
  text: string | null;
  timestamp: Date;
}

export interface RevokeInput {
  kind: "revoke";
  business: BusinessNumber;
  user: UserRef;
  wamid: string;
  originalWamid: string;
  timestamp: Date;
}

export interface StatusInput {
  kind: "status";
  business: BusinessNumber;
  /** The outbound message the status is about. */
  wamid: string;
  /** recipient_id (digits) and recipient_user_id, as far as given. */
  user: UserRef;
  status: MessageStatus;
  timestamp: Date;
  errors: MetaError[];
  /** statuses[].pricing and .conversation (see statusBilling.ts); null when the status has none. */
  pricing: MessagePricing | null;
  conversation: MessageConversation | null;
  raw: Record<string, unknown>;
}

/** contacts[].profile.name of a messages webhook, or one smb_app_state_sync contact entry. */
export interface ContactInput {
  kind: "contact";
  business: BusinessNumber;
  user: UserRef;
  /** profile.username: set when the user adopted a username. */
  username: string | null;
  parentUserId: string | null;
  /** "profile": a messages webhook's contacts[]; "add" / "remove": smb_app_state_sync actions (kept as Meta spells other actions). */
  action: "profile" | "add" | "remove" | (string & {});
  profileName: string | null;
  fullName: string | null;
  firstName: string | null;
  timestamp: Date | null;
}

/**
 * A `system` message of type user_changed_number or user_changed_user_id: the user known as
 * `from` is from `timestamp` on known as `to` (the identifiers `to` leaves null are kept). The
 * system message itself also arrives as a MessageInput, in the same thread.
 */
export interface IdentityChangeInput {
  kind: "identityChange";
  business: BusinessNumber;
  /** The system message's wamid. */
  wamid: string;
  change: "user_changed_number" | "user_changed_user_id";
  from: UserRef;
  to: UserRef;
  timestamp: Date;
}

export interface HistoryChunkInput {
  kind: "historyChunk";
  business: BusinessNumber;
  phase: number;
  chunkOrder: number;
  progress: number;
  /** Number of messages the chunk carried (they arrive as separate MessageInputs). */
  messageCount: number;
}

export interface HistoryDeclinedInput {
  kind: "historyDeclined";
  business: BusinessNumber;
  error: MetaError;
}

/**
 * One of value.errors[] of a `messages` change: a problem Meta reports for the phone number, not
 * for one message (e.g. 130429 rate limit hit, 131000 something went wrong). Recorded with the
 * delivery that carried it.
 */
export interface PhoneNumberErrorInput {
  kind: "phoneNumberError";
  business: BusinessNumber;
  error: MetaError;
  /** entry.time; null when the entry has none (the messages field's usually have none): then the delivery's receipt time is stored. */
  occurredAt: Date | null;
}

export type MirrorEvent =
  | MessageInput
  | EditInput
  | RevokeInput
  | ReactionInput
  | StatusInput
  | ContactInput
  | IdentityChangeInput
  | HistoryChunkInput
  | HistoryDeclinedInput
  | PhoneNumberErrorInput;
