import { describe, expect, it } from "vitest";
import type { MirrorEvent } from "../../src/domain/mirrorEvents.ts";
import { readEnvelope, type WebhookChange } from "../../src/webhooks/envelope.ts";
import { parseHistory } from "../../src/webhooks/fields/history.ts";
import { parseMessages } from "../../src/webhooks/fields/messages.ts";
import { toStatus } from "../../src/webhooks/fields/mirrorCommon.ts";
import { messageText } from "../../src/webhooks/fields/messageText.ts";
import { FieldParseError } from "../../src/webhooks/fields/parse.ts";
import { parseSmbAppStateSync } from "../../src/webhooks/fields/smbAppStateSync.ts";
import { parseSmbMessageEchoes } from "../../src/webhooks/fields/smbMessageEchoes.ts";
import { fixture, fixtureNames } from "../helpers/meta.ts";

type Parser = (change: WebhookChange, receivedAt: Date) => MirrorEvent[];
type Kind = MirrorEvent["kind"];
type EventOf<K extends Kind> = Extract<MirrorEvent, { kind: K }>;

const PARSERS: Record<string, Parser> = {
  messages: parseMessages,
  history: parseHistory,
  smb_message_echoes: parseSmbMessageEchoes,
  smb_app_state_sync: parseSmbAppStateSync,
};

const RECEIVED_AT = new Date("2025-06-14T12:00:00Z");
const USER = "16505551234";
const BUSINESS = { phoneNumberId: "106540352242922", displayPhoneNumber: "15550783881", wabaId: "102290129340398" };

function onlyChange(payload: unknown): WebhookChange {
  const changes = readEnvelope(payload);
  expect(changes).toHaveLength(1);
  return changes[0]!;
}

/** The events of a payload, parsed by the parser of its field. */
function parse(payload: unknown): MirrorEvent[] {
  const change = onlyChange(payload);
  const parser = PARSERS[change.field];
  if (!parser) throw new Error(`no parser for field ${change.field}`);
  return parser(change, RECEIVED_AT);
}

function ofKind<K extends Kind>(events: MirrorEvent[], kind: K): EventOf<K>[] {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

function only<K extends Kind>(events: MirrorEvent[], kind: K): EventOf<K> {
  const found = ofKind(events, kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The first change's value of a fixture, to change before parsing. */
function valueOf(payload: Record<string, any>): Record<string, any> {
  return payload.entry[0].changes[0].value;
}

function parseError(payload: unknown): string {
  try {
    parse(payload);
  } catch (error) {
    expect(error).toBeInstanceOf(FieldParseError);
    return (error as Error).message;
  }
  throw new Error("expected a FieldParseError");
}

const unix = (seconds: number) => new Date(seconds * 1000);

describe("every thread-mirror fixture", () => {
  const names = ["messages", "history", "smb_message_echoes", "smb_app_state_sync"].flatMap(fixtureNames);

  it.each(names)("%s is parsed by the parser of its field into at least one event", (name) => {
    const change = onlyChange(fixture(name));
    expect(name.startsWith(`${change.field}/`)).toBe(true);
    const events = parse(fixture(name));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.business).toEqual(BUSINESS);
  });
});

describe("messages: contacts[]", () => {
  it("a contact's profile becomes a ContactInput 'profile' with its name, wa_id digits and user_id", () => {
    const contact = only(parse(fixture("messages/inbound_text")), "contact");
    expect(contact).toEqual({
      kind: "contact",
      business: BUSINESS,
      user: { waId: USER, userId: "US.13491208655302741918" },
      username: null,
      parentUserId: null,
      action: "profile",
      profileName: "Sheena Nelson ✨",
      fullName: null,
      firstName: null,
      timestamp: unix(1749854575),
    });
  });

  it("profiles come before the messages, so a thread has its name before its first message", () => {
    expect(parse(fixture("messages/inbound_text")).map((e) => e.kind)).toEqual(["contact", "message"]);
  });

  it("a contact without user_id has userId null", () => {
    expect(only(parse(fixture("messages/inbound_location")), "contact").user.userId).toBeNull();
  });

  it("a contact without wa_id (username-only user) is a ContactInput known by its user_id", () => {
    const payload = fixture("messages/inbound_text");
    delete valueOf(payload).contacts[0].wa_id;
    expect(only(parse(payload), "contact").user).toEqual({ waId: null, userId: "US.13491208655302741918" });
  });
});

describe("messages: messages[]", () => {
  it("an inbound text is a MessageInput INBOUND from WEBHOOK, waId = digits(from), text = text.body", () => {
    const payload = fixture("messages/inbound_text");
    const message = only(parse(payload), "message");
    expect(message).toEqual({
      kind: "message",
      business: BUSINESS,
      user: { waId: USER, userId: "US.13491208655302741918" },
      wamid: "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdGMEM5QjhFNUQ0QjZBMjQxRgA=",
      direction: "INBOUND",
      source: "WEBHOOK",
      type: "text",
      text: "Olá! Vi o anúncio 😍 — ainda têm a echeveria? https://www.example.com/loja/suculentas?ref=wa",
      content: valueOf(fixture("messages/inbound_text")).messages[0],
      timestamp: unix(1749854575),
      status: null,
      errors: [],
      referral: null,
    });
  });

  it("content is the whole message object exactly as Meta sent it", () => {
    const raw = valueOf(fixture("messages/inbound_image_with_caption")).messages[0];
    expect(only(parse(fixture("messages/inbound_image_with_caption")), "message").content).toStrictEqual(raw);
  });

  it("an image's text is its caption; id, sha256 and mime_type stay in content", () => {
    const message = only(parse(fixture("messages/inbound_image_with_caption")), "message");
    expect(message.type).toBe("image");
    expect(message.text).toBe("Black Prince echeveria 🌵 — está assim hoje");
    expect(message.content.image).toMatchObject({
      id: "24230790383178626",
      mime_type: "image/jpeg",
      sha256: "3f9d94d399fa61c191bc1d4ca71375a035cd9b9f5b1128e1f0963a415c16b0cc",
    });
  });

  it("a location's text is its name and address", () => {
    const message = only(parse(fixture("messages/inbound_location")), "message");
    expect(message.text).toBe("Café Zoë, 1 Hacker Way, Menlo Park, CA 94025");
  });

  it("shared contacts read as the first contact's formatted name", () => {
    expect(only(parse(fixture("messages/inbound_contacts")), "message").text).toBe("José Álvarez");
  });

  it("an interactive button reply reads as the button's title", () => {
    const message = only(parse(fixture("messages/interactive_button_reply")), "message");
    expect(message).toMatchObject({ type: "interactive", text: "Sim, confirmo ✅" });
  });

  it("an interactive list reply reads as the chosen row's title", () => {
    expect(only(parse(fixture("messages/interactive_list_reply")), "message").text).toBe("Terça, 10h");
  });

  it("a reaction becomes a ReactionInput on the message it names, from the user, not a message", () => {
    const events = parse(fixture("messages/reaction"));
    expect(ofKind(events, "message")).toEqual([]);
    expect(only(events, "reaction")).toMatchObject({
      wamid: "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTA3RDg5RTBGMUEyQjNDNEQ1RQA=",
      originalWamid: "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI0QjY3RTI5ODFBQzM0NDVFQTUA",
      reactor: "USER",
      emoji: "❤️",
      timestamp: unix(1749854940),
    });
  });

  it("a reaction without emoji (Meta's removal) has a null emoji", () => {
    expect(only(parse(fixture("messages/reaction_removed")), "reaction").emoji).toBeNull();
  });

  it("a reaction with an empty emoji is a removal too", () => {
    const payload = fixture("messages/reaction");
    valueOf(payload).messages[0].reaction.emoji = "";
    expect(only(parse(payload), "reaction").emoji).toBeNull();
  });

  it("a reaction echoed from the business app is the business's", () => {
    expect(only(parse(fixture("smb_message_echoes/reaction")), "reaction")).toMatchObject({ reactor: "BUSINESS", emoji: "🙏" });
  });

  it("a reaction that names no message stays a message of its own", () => {
    const payload = fixture("messages/reaction");
    delete valueOf(payload).messages[0].reaction.message_id;
    expect(only(parse(payload), "message")).toMatchObject({ type: "reaction", text: "❤️" });
  });

  it("a referral (click-to-WhatsApp ad) is typed on the message and kept in content", () => {
    const message = only(parse(fixture("messages/inbound_text_ctwa_referral")), "message");
    expect(message.referral).toMatchObject({ sourceType: "ad", sourceId: "120226305854810726", mediaType: "image", videoUrl: null });
    expect(message.content.referral).toMatchObject({ source_url: "https://fb.me/3cr4Wqqkv" });
  });

  it("user_changed_user_id with only system.previous_user_id changes from that BSUID", () => {
    expect(only(parse(fixture("messages/system_user_changed_user_id_previous_only")), "identityChange")).toMatchObject({
      from: { waId: null, userId: "US.13491208655302741918" },
      to: { waId: null, userId: "US.98234710052211938405" },
    });
  });

  it("an unsupported message is kept, with its errors[] (131060: check the WhatsApp Business app)", () => {
    const message = only(parse(fixture("messages/unsupported_131060")), "message");
    expect(message).toMatchObject({ type: "unsupported", text: null });
    expect(message.errors).toEqual([
      {
        code: 131060,
        title: "This message is currently unavailable.",
        message: "This message is currently unavailable.",
        details: "Please check the WhatsApp Business app for the message.",
      },
    ]);
  });

  it("a message type nobody knows yet is kept whole, with no text", () => {
    const payload = fixture("messages/inbound_text");
    const raw = valueOf(payload).messages[0];
    delete raw.text;
    raw.type = "poll_update";
    raw.poll_update = { poll_id: "p1", votes: [1] };
    const message = only(parse(payload), "message");
    expect(message).toMatchObject({ type: "poll_update", text: null, content: raw });
  });

  it("an edit is an EditInput targeting original_message_id, with edit.message as its content", () => {
    const edit = only(parse(fixture("messages/edit_image_caption")), "edit");
    const raw = valueOf(fixture("messages/edit_image_caption")).messages[0];
    expect(edit).toEqual({
      kind: "edit",
      business: BUSINESS,
      user: expect.objectContaining({ waId: USER }),
      wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
      originalWamid: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
      content: raw.edit.message,
      type: "image",
      text: "Updated image caption",
      timestamp: unix(1749854575),
    });
  });

  it("an edit is not also a message", () => {
    expect(ofKind(parse(fixture("messages/edit_image_caption")), "message")).toEqual([]);
  });

  it("an edit whose replacement has no type is typed by the content key it carries", () => {
    const payload = fixture("messages/edit_image_caption");
    delete valueOf(payload).messages[0].edit.message.type;
    expect(only(parse(payload), "edit").type).toBe("image");
  });

  it("a revoke is a RevokeInput targeting original_message_id", () => {
    expect(only(parse(fixture("messages/revoke")), "revoke")).toEqual({
      kind: "revoke",
      business: BUSINESS,
      user: expect.objectContaining({ waId: USER }),
      wamid: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
      originalWamid: "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=",
      timestamp: unix(1749854575),
    });
  });

  it("type edit without an edit object is a FieldParseError naming messages.0.edit", () => {
    const payload = fixture("messages/edit_image_caption");
    delete valueOf(payload).messages[0].edit;
    expect(parseError(payload)).toContain("messages.0.edit");
  });

  it("type revoke without an original_message_id is a FieldParseError naming the path", () => {
    const payload = fixture("messages/revoke");
    valueOf(payload).messages[0].revoke = {};
    expect(parseError(payload)).toContain("messages.0.revoke.original_message_id");
  });
});

describe("messages: statuses[]", () => {
  it.each([
    ["status_sent", "SENT"],
    ["status_delivered", "DELIVERED"],
    ["status_read", "READ"],
    ["status_failed", "FAILED"],
  ] as const)("%s becomes a StatusInput %s for the outbound wamid and recipient", (name, status) => {
    const payload = fixture(`messages/${name}`);
    const raw = valueOf(payload).statuses[0];
    const event = only(parse(payload), "status");
    expect(event).toMatchObject({ kind: "status", business: BUSINESS, wamid: raw.id, user: expect.objectContaining({ waId: USER }), status });
    expect(event.timestamp).toEqual(unix(Number(raw.timestamp)));
    expect(event.raw).toStrictEqual(raw);
  });

  it("a failed status carries its errors[]", () => {
    expect(only(parse(fixture("messages/status_failed")), "status").errors).toEqual([
      { code: 131026, title: "Message undeliverable", message: "Message undeliverable", details: "Message Undeliverable." },
    ]);
  });

  it("a delivered status has no errors", () => {
    expect(only(parse(fixture("messages/status_delivered")), "status").errors).toEqual([]);
  });

  it("a status that is no delivery state (e.g. 'deleted') gives nothing rather than failing", () => {
    const payload = fixture("messages/status_read");
    valueOf(payload).statuses[0].status = "deleted";
    expect(parse(payload)).toEqual([]);
  });

  it("a recipient_id with '+' and spaces is compared as digits", () => {
    const payload = fixture("messages/status_read");
    valueOf(payload).statuses[0].recipient_id = "+1 650 555 1234";
    expect(only(parse(payload), "status").user.waId).toBe(USER);
  });
});

describe("messages: what is wrong throws FieldParseError naming the path", () => {
  it("a text.body that is not a string", () => {
    const payload = fixture("messages/inbound_text");
    valueOf(payload).messages[0].text.body = 42;
    const message = parseError(payload);
    expect(message).toContain("entry[0].changes[0] (messages)");
    expect(message).toContain("messages.0.text.body");
  });

  it("an image caption that is not a string", () => {
    const payload = fixture("messages/inbound_image_with_caption");
    valueOf(payload).messages[0].image.caption = { text: "nope" };
    expect(parseError(payload)).toContain("messages.0.image.caption");
  });

  it("a timestamp that is not unix seconds", () => {
    const payload = fixture("messages/inbound_text");
    valueOf(payload).messages[0].timestamp = "2025-06-14T00:00:00Z";
    expect(parseError(payload)).toContain("messages.0.timestamp");
  });

  it("a recipient_id that is a business-scoped user id (digits would make it a phone number)", () => {
    const payload = fixture("messages/status_sent");
    valueOf(payload).statuses[0].recipient_id = "US.13491208655302741918";
    expect(parseError(payload)).toContain("statuses.0.recipient_id");
  });

  it("an error code that is not a number", () => {
    const payload = fixture("messages/status_failed");
    valueOf(payload).statuses[0].errors[0].code = "undeliverable";
    expect(parseError(payload)).toContain("statuses.0.errors.0.code");
  });

  it("a value without metadata.phone_number_id", () => {
    const payload = fixture("messages/inbound_text");
    delete valueOf(payload).metadata.phone_number_id;
    expect(parseError(payload)).toContain("metadata.phone_number_id");
  });
});

describe("messageText", () => {
  it.each([
    ["a flow's nfm_reply body", { type: "interactive", interactive: { type: "nfm_reply", nfm_reply: { name: "flow", body: "Sent", response_json: "{}" } } }, "Sent"],
    ["a template quick-reply button's text", { type: "button", button: { payload: "STOP", text: "Parar promoções" } }, "Parar promoções"],
    ["a video caption", { type: "video", video: { id: "1", caption: "Tour 🎥" } }, "Tour 🎥"],
    ["a sticker without caption", { type: "sticker", sticker: { id: "1", animated: false } }, null],
    ["a document's file name when it has no caption", { type: "document", document: { id: "1", filename: "orçamento.pdf" } }, "orçamento.pdf"],
    ["an order's text", { type: "order", order: { catalog_id: "c1", text: "Quero estes dois", product_items: [] } }, "Quero estes dois"],
    ["a system message's body", { type: "system", system: { body: "User A changed from 1 to 2", type: "user_changed_number" } }, "User A changed from 1 to 2"],
    ["an audio (no text)", { type: "audio", audio: { id: "1", voice: true } }, null],
    ["a media placeholder (no text)", { type: "media_placeholder" }, null],
    ["an edit (its replacement's text)", { type: "edit", edit: { original_message_id: "w1", message: { type: "text", text: { body: "novo" } } } }, "novo"],
    ["a location with only coordinates", { type: "location", location: { latitude: 1, longitude: 2 } }, null],
  ])("reads %s", (_what, content, expected) => {
    expect(messageText(content)).toBe(expected);
  });
});

describe("toStatus", () => {
  it.each([
    ["sent", "SENT"],
    ["delivered", "DELIVERED"],
    ["read", "READ"],
    ["played", "PLAYED"],
    ["failed", "FAILED"],
    ["READ", "READ"],
    ["Delivered", "DELIVERED"],
    ["PLAYED", "PLAYED"],
    ["pending", "PENDING"],
    ["SERVER_ACK", "SENT"],
    ["DELIVERY_ACK", "DELIVERED"],
    ["ERROR", "FAILED"],
  ] as const)("maps %s (any case) to %s", (input, expected) => {
    expect(toStatus(input)).toBe(expected);
  });

  it.each([["deleted"], ["warning"], [""], [undefined], [null]])("maps %s to null: not a delivery state", (input) => {
    expect(toStatus(input)).toBeNull();
  });
});

describe("history: a shared chunk", () => {
  const events = () => parse(fixture("history/chunk_approved"));

  it("starts with one HistoryChunkInput carrying phase, chunk_order, progress and the message count", () => {
    const [first] = events();
    expect(first).toEqual({
      kind: "historyChunk",
      business: BUSINESS,
      phase: 0,
      chunkOrder: 1,
      progress: 55,
      messageCount: 4,
    });
  });

  it("is followed by its messages, all with source HISTORY, in the order Meta sent them", () => {
    const messages = ofKind(events(), "message");
    expect(events().map((e) => e.kind)).toEqual(["historyChunk", "message", "message", "message", "message"]);
    expect(messages.map((m) => m.source)).toEqual(["HISTORY", "HISTORY", "HISTORY", "HISTORY"]);
    expect(messages.map((m) => m.wamid)).toEqual(
      valueOf(fixture("history/chunk_approved")).history[0].threads.flatMap((t: any) => t.messages.map((m: any) => m.id)),
    );
  });

  it("a message from the business number is OUTBOUND, one from the user INBOUND", () => {
    expect(ofKind(events(), "message").map((m) => m.direction)).toEqual(["OUTBOUND", "OUTBOUND", "INBOUND", "OUTBOUND"]);
  });

  it("every message's waId is its thread's id, whoever sent it", () => {
    expect(ofKind(events(), "message").map((m) => m.user.waId)).toEqual([USER, USER, USER, "12125557890"]);
  });

  it("history_context.status becomes the message status", () => {
    expect(ofKind(events(), "message").map((m) => m.status)).toEqual(["READ", "PLAYED", "READ", "DELIVERED"]);
  });

  it("a media_placeholder is kept as a message of type media_placeholder, without text", () => {
    const placeholder = ofKind(events(), "message")[1]!;
    expect(placeholder).toMatchObject({
      type: "media_placeholder",
      text: null,
      wamid: "wamid.QyNUEHBgLMTY0NjcwNDM1OTUVAgARGBI1Rj3NEYxMzAzMzQ5MkEA",
    });
  });

  it("a text keeps its URL", () => {
    expect(ofKind(events(), "message")[0]!.text).toBe("Here's the info you requested! https://www.meta.com/quest/quest-3/");
  });

  it("several chunks in one change each come with their own messages right after them", () => {
    const payload = fixture("history/chunk_approved");
    const [item] = valueOf(payload).history;
    const second = structuredClone(item);
    second.metadata.chunk_order = 2;
    second.threads = [second.threads[1]];
    valueOf(payload).history.push(second);
    const kinds = parse(payload).map((e) => (e.kind === "historyChunk" ? `chunk${e.chunkOrder}:${e.messageCount}` : e.kind));
    expect(kinds).toEqual(["chunk1:4", "message", "message", "message", "message", "chunk2:1", "message"]);
  });

  it("phase, chunk_order and progress sent as numeric strings are read as numbers", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].metadata = { phase: "1", chunk_order: "7", progress: "80" };
    expect(only(parse(payload), "historyChunk")).toMatchObject({ phase: 1, chunkOrder: 7, progress: 80 });
  });
});

describe("history: the direction rule", () => {
  const messages = () => ofKind(parse(fixture("history/chunk_with_formatted_numbers_and_to")), "message");

  it("'from' is compared with the display number as digits: '+1 (555) 078-3881' is the business", () => {
    expect(messages()[0]).toMatchObject({ direction: "OUTBOUND", status: "DELIVERED" });
  });

  it("a message with 'to' is OUTBOUND", () => {
    expect(messages()[1]!.direction).toBe("OUTBOUND");
  });

  it("'to' alone makes a message OUTBOUND, even when 'from' is not the display number", () => {
    const payload = fixture("history/chunk_with_formatted_numbers_and_to");
    valueOf(payload).history[0].threads[0].messages[1].from = "15550000000";
    expect(ofKind(parse(payload), "message")[1]!.direction).toBe("OUTBOUND");
  });

  it("a reaction from the user without 'to' is the user's", () => {
    expect(only(parse(fixture("history/chunk_with_formatted_numbers_and_to")), "reaction")).toMatchObject({ reactor: "USER", emoji: "👍" });
  });

  it("a thread id with '+' and dashes gives the digits as waId", () => {
    expect(messages().map((m) => m.user.waId)).toEqual([USER, USER]);
  });

  it("history's ERROR status is FAILED", () => {
    expect(messages()[1]!.status).toBe("FAILED");
  });

  it("without a display number, only 'to' makes a message OUTBOUND", () => {
    const payload = fixture("history/chunk_with_formatted_numbers_and_to");
    delete valueOf(payload).metadata.display_phone_number;
    expect(ofKind(parse(payload), "message").map((m) => m.direction)).toEqual(["INBOUND", "OUTBOUND"]);
    expect(only(parse(payload), "reaction").reactor).toBe("USER");
  });
});

describe("history: declined", () => {
  it("an item with errors[] (2593109) is one HistoryDeclinedInput with Meta's error", () => {
    expect(parse(fixture("history/declined"))).toEqual([
      {
        kind: "historyDeclined",
        business: BUSINESS,
        error: {
          code: 2593109,
          title: "History sync is turned off by the business from the WhatsApp Business App",
          message: "History sync is turned off by the business from the WhatsApp Business App",
          details: "History sharing is turned off by the business",
        },
      },
    ]);
  });

  it("when an item carries several errors, the 2593109 one is the reason", () => {
    const payload = fixture("history/declined");
    valueOf(payload).history[0].errors.unshift({ code: 131000, title: "Something went wrong" });
    expect(only(parse(payload), "historyDeclined").error.code).toBe(2593109);
  });

  it("an item with neither errors[] nor metadata is a FieldParseError naming history.0.metadata", () => {
    const payload = fixture("history/declined");
    valueOf(payload).history[0] = { threads: [] };
    expect(parseError(payload)).toContain("history.0.metadata");
  });
});

describe("history: media for an earlier placeholder (value.messages[], no history[])", () => {
  it("is a MessageInput from HISTORY with the placeholder's wamid, now with its media", () => {
    const fill = only(parse(fixture("history/media_fill_for_placeholder")), "message");
    const placeholder = ofKind(parse(fixture("history/chunk_approved")), "message").find((m) => m.type === "media_placeholder")!;
    expect(fill.wamid).toBe(placeholder.wamid);
    expect(fill).toMatchObject({
      source: "HISTORY",
      type: "image",
      text: "Black Prince echeveria",
      timestamp: unix(1738796547),
      status: null,
    });
    expect(fill.content.image).toMatchObject({ id: "24230790383178626", mime_type: "image/jpeg" });
  });

  it("from the user: INBOUND, waId = digits(from)", () => {
    expect(only(parse(fixture("history/media_fill_for_placeholder")), "message")).toMatchObject({
      direction: "INBOUND",
      user: expect.objectContaining({ waId: USER }),
    });
  });

  it("from the business with 'to': OUTBOUND, waId = digits(to)", () => {
    const payload = fixture("history/media_fill_for_placeholder");
    Object.assign(valueOf(payload).messages[0], { from: "15550783881", to: "+1 650 555 1234" });
    expect(only(parse(payload), "message")).toMatchObject({ direction: "OUTBOUND", user: expect.objectContaining({ waId: USER }) });
  });

  it("from the business without 'to': OUTBOUND with an empty waId (only the wamid identifies it)", () => {
    const payload = fixture("history/media_fill_for_placeholder");
    valueOf(payload).messages[0].from = "15550783881";
    expect(only(parse(payload), "message")).toMatchObject({ direction: "OUTBOUND", user: { waId: null, userId: null } });
  });

  it("emits no chunk marker", () => {
    expect(ofKind(parse(fixture("history/media_fill_for_placeholder")), "historyChunk")).toEqual([]);
  });
});

describe("history: what is wrong throws FieldParseError naming the path", () => {
  it("a history_context.status that is not a string", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].threads[0].messages[1].history_context.status = 3;
    expect(parseError(payload)).toContain("history.0.threads.0.messages.1.history_context.status");
  });

  it("a progress that is not a number", () => {
    const payload = fixture("history/chunk_approved");
    valueOf(payload).history[0].metadata.progress = "half";
    expect(parseError(payload)).toContain("history.0.metadata.progress");
  });
});

describe("smb_message_echoes", () => {
  it("an echo is an OUTBOUND message from ECHO whose waId is digits(to), even with a leading '+'", () => {
    const message = only(parse(fixture("smb_message_echoes/text_with_plus_in_to")), "message");
    expect(message).toMatchObject({
      direction: "OUTBOUND",
      source: "ECHO",
      user: expect.objectContaining({ waId: USER }),
      type: "text",
      text: "Here's the info you requested! https://www.meta.com/quest/quest-3/",
      timestamp: unix(1700255121),
      status: null,
    });
  });

  it("an image echo reads as its caption and keeps the media in content", () => {
    const message = only(parse(fixture("smb_message_echoes/image")), "message");
    expect(message).toMatchObject({ type: "image", text: "Catálogo de março 🌸 https://www.example.com/catalogo" });
    expect(message.content.image).toMatchObject({ id: "1479537139650973", mime_type: "image/png" });
  });

  it("an edit echo is an EditInput whose waId comes from 'to'", () => {
    expect(only(parse(fixture("smb_message_echoes/edit")), "edit")).toMatchObject({
      user: expect.objectContaining({ waId: USER }),
      originalWamid: "wamid.HBgLMTY0NjcwNDM1OTUVAgARGBIyNDlBOEI5QUQ4NDc0N0FCNjMA",
      type: "text",
      text: "Corrigido: o link certo é https://www.meta.com/quest/quest-3s/ 🙏",
    });
  });

  it("a revoke echo is a RevokeInput whose waId comes from 'to'", () => {
    expect(only(parse(fixture("smb_message_echoes/revoke")), "revoke")).toMatchObject({
      user: expect.objectContaining({ waId: USER }),
      originalWamid: "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIzQzRENUU2RjcwODE5MkEzQjQA",
    });
  });

  it("an echo without 'to' is a FieldParseError naming message_echoes.0.to", () => {
    const payload = fixture("smb_message_echoes/image");
    delete valueOf(payload).message_echoes[0].to;
    expect(parseError(payload)).toContain("message_echoes.0.to");
  });
});

describe("smb_app_state_sync", () => {
  it("a contact 'add' becomes a ContactInput with full and first name, digits of phone_number and the time", () => {
    const contacts = ofKind(parse(fixture("smb_app_state_sync/contact_add")), "contact");
    expect(contacts).toEqual([
      {
        kind: "contact",
        business: BUSINESS,
        user: { waId: USER, userId: null },
        username: null,
        parentUserId: null,
        action: "add",
        profileName: null,
        fullName: "Sheena Nelson",
        firstName: "Sheena",
        timestamp: unix(1739321024),
      },
      {
        kind: "contact",
        business: BUSINESS,
        user: { waId: "905325550147", userId: null },
        username: null,
        parentUserId: null,
        action: "add",
        profileName: null,
        fullName: "Zoë Çelik",
        firstName: "Zoë",
        timestamp: unix(1739321025),
      },
    ]);
  });

  it("a contact 'remove' becomes a ContactInput 'remove' without names", () => {
    expect(only(parse(fixture("smb_app_state_sync/contact_remove")), "contact")).toMatchObject({
      user: expect.objectContaining({ waId: "12125557890" }),
      action: "remove",
      fullName: null,
      firstName: null,
    });
  });

  it("an action Meta adds later is kept as it comes", () => {
    const payload = fixture("smb_app_state_sync/contact_add");
    valueOf(payload).state_sync[0].action = "update";
    expect(ofKind(parse(payload), "contact")[0]!.action).toBe("update");
  });

  it("entries of other types are skipped without being checked", () => {
    const payload = fixture("smb_app_state_sync/contact_remove");
    valueOf(payload).state_sync.unshift({ type: "label", label: { id: 7 }, metadata: { timestamp: "soon" } });
    expect(parse(payload).map((e) => e.kind)).toEqual(["contact"]);
  });

  it("a contact entry with a phone_number that is not a phone is a FieldParseError naming the path", () => {
    const payload = fixture("smb_app_state_sync/contact_add");
    valueOf(payload).state_sync[1].contact.phone_number = { number: "+90" };
    expect(parseError(payload)).toContain("state_sync.1.contact.phone_number");
  });

  it("a contact entry without action is a FieldParseError naming the path", () => {
    const payload = fixture("smb_app_state_sync/contact_remove");
    delete valueOf(payload).state_sync[0].action;
    expect(parseError(payload)).toContain("state_sync.0.action");
  });
});
