import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/meta.ts";
import { FIXTURE_BUSINESS, USER, parse, ofKind, only, valueOf, parseError, unix } from "../helpers/parsers.ts";

// The `messages` field (src/webhooks/fields/messages.ts): contacts[], messages[] and statuses[].

describe("messages: contacts[]", () => {
  it("a contact's profile becomes a ContactInput 'profile' with its name, wa_id digits and user_id", () => {
    const contact = only(parse(fixture("messages/inbound_text")), "contact");
    expect(contact).toEqual({
      kind: "contact",
      business: FIXTURE_BUSINESS,
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
      business: FIXTURE_BUSINESS,
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
      business: FIXTURE_BUSINESS,
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
      business: FIXTURE_BUSINESS,
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
    expect(event).toMatchObject({ kind: "status", business: FIXTURE_BUSINESS, wamid: raw.id, user: expect.objectContaining({ waId: USER }), status });
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
