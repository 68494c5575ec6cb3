import { z } from "zod";
import { decodeIdentityChange } from "../../domain/identityChange.ts";
import { digits } from "../../domain/phoneNumbers.ts";
import type { BusinessNumber, ContactInput, MirrorEvent, IdentityChangeInput, StatusInput, UserRef } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { businessNumber, metadataSchema, metaErrorSchema, rawPhone, rawUnixSeconds, rawUserId, toMetaErrors, toStatus, unixDate } from "./mirrorCommon.ts";
import { messageSchema, type MessageObject } from "./messageObject.ts";
import { messageEvent } from "./messageEvent.ts";
import { FieldParseError, changePath, parseItems, parseWith, type FailItem } from "./parse.ts";
import { conversationSchema, pricingSchema, toConversation, toPricing } from "./statusBilling.ts";
import { parseValueErrors } from "./valueErrors.ts";

const contactSchema = z.looseObject({
  // Optional: with usernames Meta may leave the phone number out and send only user_id.
  wa_id: rawPhone.optional(),
  user_id: rawUserId.optional(),
  parent_user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().optional(), username: z.string().optional() }).optional(),
});

const statusSchema = z.looseObject({
  id: z.string().min(1, "status id must not be empty"),
  status: z.string().min(1, "status must not be empty"),
  timestamp: rawUnixSeconds,
  // Either may be missing: a message sent to a BSUID has no recipient_id unless Meta shares the number.
  recipient_id: rawPhone.optional(),
  recipient_user_id: rawUserId.optional(),
  errors: z.array(metaErrorSchema).optional(),
  pricing: pricingSchema.optional(),
  conversation: conversationSchema.optional(),
});

// Items are checked one by one (parseItems): one malformed message, status or contact is recorded
// as a failed item and its siblings are still applied.
const messagesValue = z.looseObject({
  metadata: metadataSchema,
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

/**
 * A `messages` change → contacts' profiles first (so a thread has its name before its first
 * message), then inbound messages, edits, revokes and identity changes, then statuses of
 * outbound messages, then value.errors (the phone number's errors). The arrival time is not
 * needed: Meta timestamps every message and status, and value.errors without an entry time get
 * the stored delivery's time when projected (the parameter keeps the FieldParser shape).
 */
export function parseMessages(change: WebhookChange, _receivedAt: Date, failItem?: FailItem): MirrorEvent[] {
  // Without a collector (a direct call) an item that does not parse fails the whole change.
  const fail: FailItem =
    failItem ??
    ((item) => {
      throw new FieldParseError(change, item.error);
    });
  const value = parseWith(messagesValue, change);
  const business = businessNumber(change, value.metadata);
  const messageItems = parseItems(messageSchema, value.messages, change, "messages", fail);
  const messages = messageItems.map((m) => m.item);
  const contacts = parseItems(contactSchema, value.contacts, change, "contacts", fail).map(({ item: c }) => ({
    ...c,
    user: { waId: c.wa_id === undefined ? null : digits(c.wa_id), userId: c.user_id ?? null } satisfies UserRef,
  }));

  // A message names its sender by `from`, `from_user_id` or both; contacts[] ties the two.
  const senderOf = (message: MessageObject): UserRef => {
    const waId = message.from === undefined ? null : digits(message.from);
    const userId = message.from_user_id ?? null;
    const contact = contacts.find((c) => (waId !== null && c.user.waId === waId) || (userId !== null && c.user.userId === userId));
    return { waId: waId ?? contact?.user.waId ?? null, userId: userId ?? contact?.user.userId ?? null };
  };
  const sameUser = (a: UserRef, b: UserRef) => (a.waId !== null && a.waId === b.waId) || (a.userId !== null && a.userId === b.userId);

  const profiles = contacts.flatMap((contact): ContactInput[] => {
    if (contact.user.waId === null && contact.user.userId === null) return [];
    // The profile is as of the contact's message, when this change carries one.
    const sent = messages.find((m) => sameUser(senderOf(m), contact.user));
    return [
      {
        kind: "contact",
        business,
        user: contact.user,
        username: contact.profile?.username ?? null,
        parentUserId: contact.parent_user_id ?? null,
        action: "profile",
        profileName: contact.profile?.name ?? null,
        fullName: null,
        firstName: null,
        timestamp: sent ? unixDate(sent.timestamp) : null,
      },
    ];
  });

  const inbound = messageItems.flatMap(({ item: message, index }): MirrorEvent[] => {
    const path = `messages.${index}`;
    try {
      const identity = identityChangeOf(change, message, senderOf(message), business, path);
      const user = senderOf(message);
      // A user_changed_user_id may name the user only by the new id.
      const thread = user.waId === null && user.userId === null && identity ? identity.to : user;
      if (thread.waId === null && thread.userId === null) {
        throw new FieldParseError(change, `${path}: expected "from" or "from_user_id" (the sender)`);
      }
      const event = messageEvent(change, message, { business, user: thread, direction: "INBOUND", source: "WEBHOOK" }, path);
      return identity ? [event, identity] : [event];
    } catch (error) {
      if (!(error instanceof FieldParseError) || !failItem) throw error;
      fail({ path: `${changePath(change)}.value.messages[${index}]`, error: error.message });
      return [];
    }
  });

  const statuses = parseItems(statusSchema, value.statuses, change, "statuses", fail).flatMap(({ item: status }): StatusInput[] => {
    const mapped = toStatus(status.status);
    // Not a delivery state (e.g. on-premises "deleted", catalog "warning"): nothing to move.
    if (!mapped) return [];
    return [
      {
        kind: "status",
        business,
        wamid: status.id,
        user: {
          waId: status.recipient_id === undefined ? null : digits(status.recipient_id),
          userId: status.recipient_user_id ?? null,
        },
        status: mapped,
        timestamp: unixDate(status.timestamp),
        errors: toMetaErrors(status.errors),
        pricing: toPricing(status.pricing),
        conversation: toConversation(status.conversation),
        raw: status,
      },
    ];
  });

  const valueErrors = parseValueErrors(change, value.errors, business, fail);

  return [...profiles, ...inbound, ...statuses, ...valueErrors];
}

/**
 * A `system` message that moves the user's identity forward (decoded as the API decodes it, see
 * src/domain/identityChange.ts). Here the sender's identifiers also come from contacts[]; the
 * new identifier the change is about is required. Other system types change no identity.
 */
function identityChangeOf(change: WebhookChange, message: MessageObject, sender: UserRef, business: BusinessNumber, path: string): IdentityChangeInput | null {
  const decoded = decodeIdentityChange(message);
  if (!decoded) return null;
  const { change: type, to } = decoded;
  if (type === "user_changed_number" && to.waId === null) {
    throw new FieldParseError(change, `${path}.system.wa_id: required when system.type is "user_changed_number"`);
  }
  if (type === "user_changed_user_id" && to.userId === null) {
    throw new FieldParseError(change, `${path}.system.user_id: required when system.type is "user_changed_user_id"`);
  }
  // The replaced identifiers: the sender's (contacts[] may fill in what the message leaves out), then what the message names.
  const from: UserRef = { waId: sender.waId ?? decoded.from.waId, userId: sender.userId ?? decoded.from.userId };
  return { kind: "identityChange", business, wamid: message.id, change: type, from, to, timestamp: unixDate(message.timestamp) };
}
