import { describe, expect, it } from "vitest";
import { changedIdentifier, decodeIdentityChange } from "../../src/domain/identityChange.ts";
import { disconnectionReasonOf } from "../../src/domain/disconnectionReason.ts";
import { storedMessageSchema } from "../../src/domain/messageContent.ts";
import { messageDetails } from "../../src/domain/messageDetails.ts";
import { fixture } from "../helpers/meta.ts";
import { only, parse } from "../helpers/parsers.ts";

// Decoding a message object (src/domain/identityChange.ts, messageDetails.ts): what the webhook
// parser reads on arrival and what the API answers for the stored message, from one decoder.

/** The first message of a `messages` fixture, as it is stored (Message.content). */
function storedMessage(name: string) {
  const payload = fixture(`messages/${name}`);
  return storedMessageSchema.parse(payload.entry[0].changes[0].value.messages[0]);
}

describe("identity change", () => {
  it("user_changed_number: the old number from `from`, the new one from system.wa_id", () => {
    const decoded = decodeIdentityChange(storedMessage("system_user_changed_number"));
    expect(decoded && changedIdentifier(decoded)).toEqual({ kind: "WA_ID", from: "16505551234", to: "12195555358" });
  });

  it("user_changed_user_id: the old BSUID from from_user_id, the new one from system.user_id", () => {
    const decoded = decodeIdentityChange(storedMessage("system_user_changed_user_id"));
    expect(decoded && changedIdentifier(decoded)).toEqual({ kind: "USER_ID", from: "US.13491208655302741918", to: "US.98234710052211938405" });
  });

  it("user_changed_user_id without any `from`: the old BSUID from system.previous_user_id", () => {
    const decoded = decodeIdentityChange(storedMessage("system_user_changed_user_id_previous_only"));
    expect(decoded && changedIdentifier(decoded)).toEqual({ kind: "USER_ID", from: "US.13491208655302741918", to: "US.98234710052211938405" });
  });

  it("the webhook parser's identity change is the decoder's, for every identity-change fixture", () => {
    for (const name of ["system_user_changed_number", "system_user_changed_user_id", "system_user_changed_user_id_previous_only"]) {
      const parsed = only(parse(fixture(`messages/${name}`)), "identityChange");
      const decoded = decodeIdentityChange(storedMessage(name));
      expect({ change: parsed.change, from: parsed.from, to: parsed.to }).toEqual(decoded);
    }
  });

  it("a text message, or a system message of another type, records no identity change", () => {
    expect(decodeIdentityChange(storedMessage("inbound_text"))).toBeNull();
    expect(decodeIdentityChange({ type: "system", system: { type: "user_preference_changed", body: "stop" } })).toBeNull();
  });
});

describe("message details", () => {
  it.each([
    ["inbound_image_with_caption", { kind: "IMAGE", detail: "image/jpeg" }],
    ["inbound_location", { kind: "LOCATION", detail: "Café Zoë" }],
    ["inbound_contacts", { kind: "CONTACTS", detail: "José Álvarez" }],
    ["interactive_button_reply", { kind: "REPLY", detail: "Sim, confirmo ✅" }],
    ["interactive_list_reply", { kind: "REPLY", detail: "Terça, 10h" }],
    ["reaction", { kind: "REACTION", detail: "❤️" }],
    ["reaction_removed", { kind: "REACTION", detail: null }],
    ["unsupported_131060", { kind: "UNSUPPORTED", detail: null }],
    ["system_user_changed_number", { kind: "SYSTEM", detail: null }],
    ["inbound_text", { kind: "TEXT", detail: null }],
  ])("%s", (name, expected) => {
    const message = storedMessage(name);
    expect(messageDetails(message.type ?? "", message)).toEqual(expected);
  });

  it("a document is named by its file name before its MIME type", () => {
    const content = { type: "document", document: { id: "1", filename: "orçamento.pdf", mime_type: "application/pdf" } };
    expect(messageDetails("document", content)).toEqual({ kind: "DOCUMENT", detail: "orçamento.pdf" });
  });

  it("a type this version does not know is OTHER, even one named like an Object member", () => {
    expect(messageDetails("call_permission_reply", {})).toEqual({ kind: "OTHER", detail: null });
    expect(messageDetails("constructor", {})).toEqual({ kind: "OTHER", detail: null });
  });

  it("a template sent through the hub is OTHER, named by the template's name", () => {
    const content = { type: "template", template: { name: "order_confirmation", language: { code: "en_US" } } };
    expect(messageDetails("template", content)).toEqual({ kind: "OTHER", detail: "order_confirmation" });
  });

  it("a history media placeholder is MEDIA_PLACEHOLDER", () => {
    expect(messageDetails("media_placeholder", { type: "media_placeholder" })).toEqual({ kind: "MEDIA_PLACEHOLDER", detail: null });
  });
});

describe("disconnection reason", () => {
  it.each(["PRIMARY_INACTIVITY", "COMPANION_INACTIVITY", "BUSINESS_DOWNGRADE", "CHANGE_NUMBER", "USER_RE_REGISTERED"])("%s is known", (reason) => {
    expect(disconnectionReasonOf(reason)).toBe(reason);
  });

  it("a reason Meta adds later is OTHER; no reason is null", () => {
    expect(disconnectionReasonOf("SOME_NEW_REASON")).toBe("OTHER");
    expect(disconnectionReasonOf("OTHER")).toBe("OTHER");
    expect(disconnectionReasonOf(null)).toBeNull();
    expect(disconnectionReasonOf("")).toBeNull();
  });
});
