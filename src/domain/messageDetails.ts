import { nonEmpty, replyTitle, sharedContactName, type MessageContent } from "./messageContent.ts";

/**
 * What kind of thing a message is, for a client to render: Meta's `type` folded into the kinds a
 * reader tells apart (an interactive reply and a template button reply are both a REPLY). A type
 * this version does not know is OTHER; the message's `type` still says what Meta called it.
 */
export const MESSAGE_KINDS = [
  "TEXT",
  "IMAGE",
  "VIDEO",
  "AUDIO",
  "DOCUMENT",
  "STICKER",
  "LOCATION",
  "CONTACTS",
  "REPLY",
  "REACTION",
  "ORDER",
  "SYSTEM",
  "MEDIA_PLACEHOLDER",
  "UNSUPPORTED",
  "OTHER",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const KIND_OF: Record<string, MessageKind> = {
  text: "TEXT",
  image: "IMAGE",
  video: "VIDEO",
  audio: "AUDIO",
  document: "DOCUMENT",
  sticker: "STICKER",
  location: "LOCATION",
  contacts: "CONTACTS",
  interactive: "REPLY",
  button: "REPLY",
  reaction: "REACTION",
  order: "ORDER",
  system: "SYSTEM",
  media_placeholder: "MEDIA_PLACEHOLDER",
  unsupported: "UNSUPPORTED",
};

export interface MessageDetails {
  kind: MessageKind;
  /**
   * The one fact besides the text that names what was sent: a media file's name (else its MIME
   * type), a location's name (else its address), the shared contact's name, the chosen reply's
   * title, a reaction's emoji (null: removed), a template's name. Null when the message has none.
   */
  detail: string | null;
}

export function messageKind(type: string): MessageKind {
  // Own keys only: a type like "constructor" must not find Object.prototype's members.
  return (Object.hasOwn(KIND_OF, type) ? KIND_OF[type] : undefined) ?? "OTHER";
}

/** The kind and detail of a message of `type` with `content` (null: content not readable). */
export function messageDetails(type: string, content: MessageContent | null): MessageDetails {
  const kind = messageKind(type);
  return { kind, detail: content === null ? null : detailOf(kind, content) };
}

const MEDIA_KEYS = { IMAGE: "image", VIDEO: "video", AUDIO: "audio", DOCUMENT: "document", STICKER: "sticker" } as const;

function detailOf(kind: MessageKind, c: MessageContent): string | null {
  switch (kind) {
    case "IMAGE":
    case "VIDEO":
    case "AUDIO":
    case "DOCUMENT":
    case "STICKER": {
      const media = c[MEDIA_KEYS[kind]];
      return nonEmpty(media?.filename) ?? nonEmpty(media?.mime_type);
    }
    case "LOCATION":
      return nonEmpty(c.location?.name) ?? nonEmpty(c.location?.address);
    case "CONTACTS":
      return sharedContactName(c);
    case "REPLY":
      return replyTitle(c);
    case "REACTION":
      return nonEmpty(c.reaction?.emoji);
    case "TEXT":
    case "OTHER":
      // A template (type "template", no kind of its own) is named by its name.
      return nonEmpty(c.template?.name);
    case "ORDER":
    case "SYSTEM":
    case "MEDIA_PLACEHOLDER":
    case "UNSUPPORTED":
      return null;
  }
}
