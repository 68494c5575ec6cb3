import { z } from "zod";
import { isBsuid } from "../../domain/identityKey.ts";
import { digits } from "../../domain/phoneNumbers.ts";
import type { BusinessNumber, MirrorEvent, UserRef } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { messageEvent } from "./messageEvent.ts";
import { businessNumber, count, metadataSchema, metaErrorSchema, rawPhone, rawUserId, toMetaError, type RawMetaError } from "./mirrorCommon.ts";
import { messageSchema, type MessageObject } from "./messageObject.ts";
import { changePath, itemFailer, parseItems, parseWith, readItem, type FailItem } from "./parse.ts";

/** Meta's code for "history sync is turned off by the business from the WhatsApp Business App". */
export const HISTORY_DECLINED_CODE = 2593109;

// Only the outer shape is read whole; each history item, thread and message is checked on its own
// (parseItems), so one unreadable message fails alone and the rest of its chunk is stored.
const threadSchema = z.looseObject({
  // The user's phone number, or their business-scoped user id when Meta withholds the number.
  id: z.union([rawUserId, rawPhone]),
  messages: z.array(z.unknown()).optional(),
});

const historyItemSchema = z.looseObject({
  errors: z.array(metaErrorSchema).optional(),
  metadata: z
    .looseObject({
      phase: count,
      chunk_order: count,
      progress: count,
    })
    .optional(),
  threads: z.array(z.unknown()).optional(),
});

const historyValue = z.looseObject({
  metadata: metadataSchema,
  history: z.array(z.unknown()).optional(),
  // A history change without history[]: media for a media_placeholder sent in an earlier chunk.
  messages: z.array(z.unknown()).optional(),
});

/**
 * The business sent it when it comes from the business number, or when it names a recipient:
 * Meta puts `to` only on the business's own (echoed) messages.
 */
function isFromBusiness(message: MessageObject, business: BusinessNumber): boolean {
  if (message.to !== undefined || message.to_user_id !== undefined) return true;
  return business.displayPhoneNumber !== null && message.from !== undefined && digits(message.from) === digits(business.displayPhoneNumber);
}

/**
 * A `history` change → for each history item either a HistoryDeclinedInput (items with errors[])
 * or a HistoryChunkInput followed by the chunk's messages (source HISTORY); plus, for a media
 * fill (value.messages[]), one MessageInput per message.
 */
export function parseHistory(change: WebhookChange, _receivedAt: Date, failItem?: FailItem): MirrorEvent[] {
  const fail = itemFailer(change, failItem);
  const value = parseWith(historyValue, change);
  const business = businessNumber(change, value.metadata);

  const chunks = parseItems(historyItemSchema, value.history, change, "history", fail).flatMap(({ item, index: itemIndex }): MirrorEvent[] => {
    const path = `history[${itemIndex}]`;
    if (item.errors && item.errors.length > 0) {
      return [{ kind: "historyDeclined", business, error: toMetaError(declineReason(item.errors)) }];
    }
    if (!item.metadata) {
      fail({ path: `${changePath(change)}.value.${path}`, error: `history.${itemIndex}.metadata: required when the item has no errors` });
      return [];
    }
    const messages = parseItems(threadSchema, item.threads, change, `${path}.threads`, fail).flatMap(({ item: thread, index: threadIndex }) => {
      const id = String(thread.id);
      const threadUser: UserRef = isBsuid(id) ? { waId: null, userId: id } : { waId: digits(id), userId: null };
      const messagesPath = `${path}.threads[${threadIndex}].messages`;
      return parseItems(messageSchema, thread.messages, change, messagesPath, fail).flatMap(({ item: message, index }) =>
        readItem(change, `${messagesPath}[${index}]`, failItem, () => [
          messageEvent(
            change,
            message,
            {
              business,
              user: withUserSide(threadUser, message, isFromBusiness(message, business)),
              direction: isFromBusiness(message, business) ? "OUTBOUND" : "INBOUND",
              source: "HISTORY",
            },
            `${messagesPath}.${index}`,
          ),
        ]),
      );
    });
    const { phase, chunk_order: chunkOrder, progress } = item.metadata;
    return [{ kind: "historyChunk", business, phase, chunkOrder, progress, messageCount: messages.length }, ...messages];
  });

  const mediaFills = parseItems(messageSchema, value.messages, change, "messages", fail).flatMap(({ item: message, index }) => {
    const outbound = isFromBusiness(message, business);
    // Without a thread id the user is the sender, or the recipient of the business's message.
    // An outbound fill without `to` names no user: its user is then empty and the message is only
    // identifiable by its wamid, which its earlier placeholder already stored under a thread.
    const phone = outbound ? message.to : message.from;
    const user = withUserSide({ waId: phone === undefined ? null : digits(phone), userId: null }, message, outbound);
    return readItem(change, `messages[${index}]`, failItem, () => [
      messageEvent(change, message, { business, user, direction: outbound ? "OUTBOUND" : "INBOUND", source: "HISTORY" }, `messages.${index}`),
    ]);
  });

  return [...chunks, ...mediaFills];
}

/** The user as the thread names them, with the business-scoped id from the user's side of the message. */
function withUserSide(user: UserRef, message: MessageObject, outbound: boolean): UserRef {
  return { waId: user.waId, userId: user.userId ?? (outbound ? message.to_user_id : message.from_user_id) ?? null };
}

/** The declining error when Meta sends several; otherwise the first, whatever it says. */
function declineReason(errors: readonly RawMetaError[]): RawMetaError {
  const declined = errors.find((e) => e.code !== undefined && Number(e.code) === HISTORY_DECLINED_CODE);
  return declined ?? (errors[0] as RawMetaError);
}
