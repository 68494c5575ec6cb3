/**
 * What the thread mirror is told by the `messages`, `history`, `smb_message_echoes` and
 * `smb_app_state_sync` webhook fields, after the transport parsed them. Pure data: the
 * storage layer applies these idempotently (wamid unique per business phone number).
 *
 * Phone numbers (wa_id, from, to, thread ids) are compared as digits only: an echo's `to` can
 * carry a leading "+", so every parser passes them through `digits()`.
 */

export const MESSAGE_DIRECTIONS = ["INBOUND", "OUTBOUND"] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const MESSAGE_SOURCES = ["HISTORY", "ECHO", "WEBHOOK"] as const;
export type MessageSource = (typeof MESSAGE_SOURCES)[number];

/** Outbound delivery states in the only order they may move (failed is final, see statusRank). */
export const MESSAGE_STATUSES = ["PENDING", "SENT", "DELIVERED", "READ", "PLAYED", "FAILED"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const HISTORY_SYNC_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "COMPLETE", "DECLINED"] as const;
export type HistorySyncStatus = (typeof HISTORY_SYNC_STATUSES)[number];

/** The business phone number a change is about (value.metadata). */
export interface BusinessNumber {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
  wabaId: string;
}

/** Meta's error object as it comes (code, title, message, error_data.details). */
export interface MetaError {
  code: number | null;
  title: string | null;
  message: string | null;
  details: string | null;
}

export interface MessageInput {
  kind: "message";
  business: BusinessNumber;
  /** The WhatsApp user's number (digits): the other side of the thread. */
  waId: string;
  /** Business-scoped user id Meta now sends beside wa_id, when present. */
  userId: string | null;
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
}

export interface EditInput {
  kind: "edit";
  business: BusinessNumber;
  waId: string;
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
  waId: string;
  wamid: string;
  originalWamid: string;
  timestamp: Date;
}

export interface StatusInput {
  kind: "status";
  business: BusinessNumber;
  /** The outbound message the status is about. */
  wamid: string;
  /** recipient_id (digits). */
  waId: string;
  status: MessageStatus;
  timestamp: Date;
  errors: MetaError[];
  raw: Record<string, unknown>;
}

/** contacts[].profile.name of a messages webhook, or one smb_app_state_sync contact entry. */
export interface ContactInput {
  kind: "contact";
  business: BusinessNumber;
  waId: string;
  userId: string | null;
  /** "profile": a messages webhook's contacts[]; "add" / "remove": smb_app_state_sync actions (kept as Meta spells other actions). */
  action: "profile" | "add" | "remove" | (string & {});
  profileName: string | null;
  fullName: string | null;
  firstName: string | null;
  timestamp: Date | null;
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

export type MirrorEvent =
  | MessageInput
  | EditInput
  | RevokeInput
  | StatusInput
  | ContactInput
  | HistoryChunkInput
  | HistoryDeclinedInput;

/** Digits only: "+1 (650) 555-1234" and "16505551234" are the same number. */
export function digits(phone: string | number): string {
  return String(phone).replace(/\D/g, "");
}

/** Status only ever moves forward; FAILED is final; READ and PLAYED outrank DELIVERED. */
export function statusRank(status: MessageStatus): number {
  return MESSAGE_STATUSES.indexOf(status);
}
