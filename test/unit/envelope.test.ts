import { describe, expect, it } from "vitest";
import { readEnvelope, wellFormed } from "../../src/webhooks/envelope.ts";
import { fixture } from "../helpers/meta.ts";

// JSON can carry a lone UTF-16 surrogate, which no text column can hold (SQLite kept the invalid
// bytes and the id stopped matching itself); bodies are made well-formed before anything reads them.
describe("well-formed strings on the way in", () => {
  it("replaces a lone surrogate with U+FFFD in every value and key, at any depth", () => {
    const body = JSON.parse('{"id\\ud800":"a\\udc00b","list":[{"deep":"\\ud83d"}],"n":1,"nil":null}');
    expect(wellFormed(body)).toEqual({ "id\ufffd": "a\ufffdb", list: [{ deep: "\ufffd" }], n: 1, nil: null });
  });

  it("leaves surrogate pairs (emoji) and other strings as they are", () => {
    const body = JSON.parse('{"text":"\\ud83d\\ude00 olá","\\u0000":"\\ufffe"}');
    expect(wellFormed(structuredClone(body))).toEqual(body);
  });

  it('keeps a "__proto__" key an own property instead of setting the prototype', () => {
    const body = JSON.parse('{"__proto__":"x\\ud800","ok":true}');
    const out = wellFormed(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe("x\ufffd");
  });

  it("gives the parsers well-formed ids: the entry id and the change value", () => {
    const payload = structuredClone(fixture("messages/inbound_text")) as any;
    payload.entry[0].id = "862475293675413\ud800";
    payload.entry[0].changes[0].value.metadata.phone_number_id = "106540352242922\udfff";
    const [change] = readEnvelope(JSON.parse(JSON.stringify(payload)));
    expect(change!.entryId).toBe("862475293675413\ufffd");
    expect((change!.value as any).metadata.phone_number_id).toBe("106540352242922\ufffd");
  });
});
