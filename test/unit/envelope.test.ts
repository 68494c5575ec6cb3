import { describe, expect, it } from "vitest";
import { EnvelopeError, readEnvelope, wellFormed } from "../../src/webhooks/envelope.ts";
import { fixture } from "../helpers/meta.ts";

// JSON can carry a lone UTF-16 surrogate, which no text column can hold (SQLite kept the invalid
// bytes and the id stopped matching itself); bodies are made well-formed before anything reads them.
describe("well-formed strings on the way in", () => {
  it("replaces a lone surrogate with U+FFFD in every value and key, at any depth", () => {
    const body = JSON.parse('{"id\\ud800":"a\\udc00b","list":[{"deep":"\\ud83d"}],"n":1,"nil":null}');
    expect(wellFormed(body)).toEqual({ "id\ufffd": "a\ufffdb", list: [{ deep: "\ufffd" }], n: 1, nil: null });
  });

  it("leaves surrogate pairs (emoji) and other strings as they are", () => {
    const body = JSON.parse('{"text":"\\ud83d\\ude00 olá","key":"\\ufffe"}');
    expect(wellFormed(structuredClone(body))).toEqual(body);
  });

  it("replaces NUL with U+FFFD in values and keys (PostgreSQL refuses NUL in text and jsonb)", () => {
    const body = JSON.parse('{"name\\u0000":"Ana\\u0000Maria","list":[["\\u0000"]]}');
    expect(wellFormed(body)).toEqual({ "name\ufffd": "Ana\ufffdMaria", list: [["\ufffd"]] });
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

describe("nesting depth", () => {
  const nested = (levels: number) => JSON.parse("[".repeat(levels) + '"x\\u0000"' + "]".repeat(levels));

  it("refuses 5,000 nested arrays with an EnvelopeError instead of overflowing the stack", () => {
    expect(() => wellFormed(nested(5_000))).toThrow(EnvelopeError);
    expect(() => wellFormed(nested(5_000))).toThrow(/nested deeper than 64 levels/);
  });

  it("walks a body right at the limit to its innermost string", () => {
    let inner: unknown = wellFormed(nested(64));
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe("x\ufffd");
  });

  it("takes the limit as an argument", () => {
    expect(() => wellFormed(nested(10), 9)).toThrow(EnvelopeError);
    expect(() => wellFormed(nested(10), 10)).not.toThrow();
  });
});

describe("the envelope's object", () => {
  it('refuses {"object":"page"} even when its entry has no changes', () => {
    expect(() => readEnvelope({ object: "page", entry: [{ id: "1", changes: [] }] })).toThrow(/expected object "whatsapp_business_account", got "page"/);
  });

  it("refuses another object named on an entry", () => {
    expect(() => readEnvelope({ entry: [{ id: "1", object: "instagram", changes: [] }] })).toThrow(EnvelopeError);
  });
});
