import type { BusinessNumber, MessageDirection, MessageSource, MirrorEvent, ReactionInput, UserRef } from "../../domain/mirrorEvents.ts";
import type { WebhookChange } from "../envelope.ts";
import { toMetaErrors, toStatus, unixDate } from "./mirrorCommon.ts";
import { contentType } from "../../domain/messageContent.ts";
import { messageText } from "../../domain/messageText.ts";
import { toReferral, type MessageObject } from "./messageObject.ts";
import { FieldParseError } from "./parse.ts";

/** Who the message is with and how it reached us: what differs between the mirror fields. */
export interface MessageOrigin {
  business: BusinessNumber;
  user: UserRef;
  direction: MessageDirection;
  source: MessageSource;
}

/**
 * One message object → its mirror event: an edit, a revoke or a reaction points at the message it
 * changes, every other type (unsupported, media_placeholder, ...) is a message kept whole.
 * `path` names the message in errors (e.g. "message_echoes.0").
 */
export function messageEvent(change: WebhookChange, message: MessageObject, origin: MessageOrigin, path: string): MirrorEvent {
  const timestamp = unixDate(message.timestamp);
  const { business, user } = origin;
  if (message.type === "edit") {
    if (!message.edit) throw new FieldParseError(change, `${path}.edit: required when type is "edit"`);
    const replacement = message.edit.message;
    return {
      kind: "edit",
      business,
      user,
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
      user,
      wamid: message.id,
      originalWamid: message.revoke.original_message_id,
      timestamp,
    };
  }
  const reaction = reactionOf(message, origin, timestamp);
  if (reaction) return reaction;
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
    referral: toReferral(message.referral),
  };
}

/**
 * A reaction to a message (Meta's reaction messages webhook reference): the user's when it comes
 * in (`messages`, history), the business's when it goes out (an echo). No emoji, or an empty one,
 * is a removal. A reaction without `message_id` names no target: it stays a message of its own.
 */
function reactionOf(message: MessageObject, origin: MessageOrigin, timestamp: Date): ReactionInput | null {
  const target = message.reaction?.message_id;
  if (message.type !== "reaction" || !target) return null;
  const emoji = message.reaction?.emoji;
  return {
    kind: "reaction",
    business: origin.business,
    user: origin.user,
    wamid: message.id,
    originalWamid: target,
    reactor: origin.direction === "OUTBOUND" ? "BUSINESS" : "USER",
    emoji: emoji === undefined || emoji.trim() === "" ? null : emoji,
    timestamp,
  };
}
