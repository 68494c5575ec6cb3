import { z } from "zod";
import {
  digits,
  type BusinessNumber,
  type ContactInput,
  type MessageDirection,
  type MessageSource,
  type MirrorEvent,
  type StatusInput,
} from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import {
  businessNumber,
  contentType,
  messageSchema,
  messageText,
  metadataSchema,
  metaErrorSchema,
  rawPhone,
  rawUnixSeconds,
  toMetaErrors,
  toStatus,
  unixDate,
  type MessageObject,
} from "./mirrorCommon.ts";
import { FieldParseError, parseWith } from "./parse.ts";

const contactSchema = z.looseObject({
  // Optional: with usernames Meta may leave the phone number out and send only user_id.
  wa_id: rawPhone.optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1, "status id must not be empty"),
  status: z.string().min(1, "status must not be empty"),
  timestamp: rawUnixSeconds,
  recipient_id: rawPhone,
  errors: z.array(metaErrorSchema).optional(),
});

const messagesValue = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(contactSchema).optional(),
  messages: z.array(messageSchema).optional(),
  statuses: z.array(statusSchema).optional(),
});

/** Who the message is with and how it reached us: what differs between the mirror fields. */
export interface MessageOrigin {
  business: BusinessNumber;
  waId: string;
  userId: string | null;
  direction: MessageDirection;
  source: MessageSource;
}

/**
 * One message object → its mirror event: an edit or a revoke points at the message it changes,
 * every other type (unsupported, media_placeholder, reaction, ...) is a message kept whole.
 * `path` names the message in errors (e.g. "message_echoes.0").
 */
export function messageEvent(
  change: WebhookChange,
  message: MessageObject,
  origin: MessageOrigin,
  path: string,
): MirrorEvent {
  const timestamp = unixDate(message.timestamp);
  const { business, waId } = origin;
  if (message.type === "edit") {
    if (!message.edit) throw new FieldParseError(change, `${path}.edit: required when type is "edit"`);
    const replacement = message.edit.message;
    return {
      kind: "edit",
      business,
      waId,
      wamid: message.id,
      originalWamid: message.edit.original_message_id,
      content: replacement,
      type: contentType(replacement),
      text: messageText(replacement),
      timestamp,
    };
  }
  if (message.type === "revoke") {
    if (!message.revoke) throw new FieldParseError(change, `${path}.revoke: required when type is "revoke"`);
    return {
      kind: "revoke",
      business,
      waId,
      wamid: message.id,
      originalWamid: message.revoke.original_message_id,
      timestamp,
    };
  }
  return {
    kind: "message",
    ...origin,
    wamid: message.id,
    type: message.type,
    text: messageText(message),
    content: message,
    timestamp,
    status: toStatus(message.history_context?.status),
    errors: toMetaErrors(message.errors),
  };
}

/**
 * A `messages` change → contacts' profiles first (so a thread has its name before its first
 * message), then inbound messages, edits and revokes, then statuses of outbound messages.
 * The arrival time is not needed: Meta timestamps every message and status (same for the other
 * mirror parsers; the parameter keeps the FieldParser shape).
 */
export function parseMessages(change: WebhookChange, _receivedAt: Date): MirrorEvent[] {
  const value = parseWith(messagesValue, change);
  const business = businessNumber(change, value.metadata);
  const messages = value.messages ?? [];
  const contacts = value.contacts ?? [];

  const userIdOf = (waId: string, message: MessageObject): string | null =>
    contacts.find((c) => c.wa_id !== undefined && digits(c.wa_id) === waId)?.user_id ?? message.from_user_id ?? null;

  const profiles = contacts.flatMap((contact): ContactInput[] => {
    if (contact.wa_id === undefined) return [];
    const waId = digits(contact.wa_id);
    // The profile is as of the contact's message, when this change carries one.
    const sent = messages.find((m) => digits(m.from) === waId);
    return [
      {
        kind: "contact",
        business,
        waId,
        userId: contact.user_id ?? null,
        action: "profile",
        profileName: contact.profile?.name ?? null,
        fullName: null,
        firstName: null,
        timestamp: sent ? unixDate(sent.timestamp) : null,
      },
    ];
  });

  const inbound = messages.map((message, index) => {
    const waId = digits(message.from);
    return messageEvent(
      change,
      message,
      { business, waId, userId: userIdOf(waId, message), direction: "INBOUND", source: "WEBHOOK" },
      `messages.${index}`,
    );
  });

  const statuses = (value.statuses ?? []).flatMap((status): StatusInput[] => {
    const mapped = toStatus(status.status);
    // Not a delivery state (e.g. on-premises "deleted", catalog "warning"): nothing to move.
    if (!mapped) return [];
    return [
      {
        kind: "status",
        business,
        wamid: status.id,
        waId: digits(status.recipient_id),
        status: mapped,
        timestamp: unixDate(status.timestamp),
        errors: toMetaErrors(status.errors),
        raw: status,
      },
    ];
  });

  return [...profiles, ...inbound, ...statuses];
}
