import { describe, expect, it } from "vitest";
import { toStatus } from "../../src/webhooks/fields/mirrorCommon.ts";
import { messageText } from "../../src/domain/messageText.ts";

// What the thread-mirror parsers share (src/webhooks/fields/mirrorCommon.ts): a message's text, a status.

describe("messageText", () => {
  it.each([
    [
      "a flow's nfm_reply body",
      { type: "interactive", interactive: { type: "nfm_reply", nfm_reply: { name: "flow", body: "Sent", response_json: "{}" } } },
      "Sent",
    ],
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
