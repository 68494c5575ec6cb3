import { describe, expect, it } from "vitest";
import { fixture } from "../helpers/meta.ts";
import { USER, parse, only, valueOf, parseError, unix } from "../helpers/parsers.ts";

// The `smb_message_echoes` field (src/webhooks/fields/smbMessageEchoes.ts).

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
