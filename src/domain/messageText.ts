import { contentType, editSchema, nonEmpty, replyTitle, sharedContactName, type MessageContent } from "./messageContent.ts";

type TextExtractor = (content: MessageContent) => string | null;

const TEXT_OF: Record<string, TextExtractor> = {
  text: (c) => nonEmpty(c.text?.body),
  image: (c) => nonEmpty(c.image?.caption),
  video: (c) => nonEmpty(c.video?.caption),
  sticker: (c) => nonEmpty(c.sticker?.caption),
  // A document without caption is still recognisable by its file name.
  document: (c) => nonEmpty(c.document?.caption) ?? nonEmpty(c.document?.filename),
  interactive: (c) => replyTitle(c) ?? nonEmpty(c.interactive?.nfm_reply?.body),
  button: (c) => replyTitle(c),
  location: (c) => nonEmpty([c.location?.name, c.location?.address].filter((s) => nonEmpty(s)).join(", ")),
  contacts: (c) => sharedContactName(c),
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
