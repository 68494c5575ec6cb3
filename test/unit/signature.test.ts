import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { escapeLikeMeta, signLikeMeta, verifySignature } from "../../src/webhooks/signature.ts";
import { escapedBytes } from "../../src/webhooks/escapedBytes.ts";

const hmac = (body: string | Buffer, secret: string) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex");

describe("escapeLikeMeta", () => {
  it("escapes non-ASCII as lowercase \\uXXXX", () => {
    expect(escapeLikeMeta('{"a":"mangé"}').toString()).toBe('{"a":"mang\\u00e9"}');
  });

  it("escapes an emoji as its two UTF-16 surrogates", () => {
    expect(escapeLikeMeta('"😀"').toString()).toBe('"\\ud83d\\ude00"');
  });

  it("escapes a bare slash and leaves an escaped one as it is", () => {
    expect(escapeLikeMeta('"a/b\\/c"').toString()).toBe('"a\\/b\\/c"');
  });

  it("leaves an escaped backslash before a slash intact", () => {
    expect(escapeLikeMeta('"\\\\/"').toString()).toBe('"\\\\\\/"');
  });
});

describe("verifySignature", () => {
  const body = Buffer.from('{"text":"crème brûlée \\/ 🍮"}', "utf8");

  it("accepts Meta's signature over the escaped form and says so", () => {
    expect(verifySignature(body, signLikeMeta(body, "s"), ["s"])).toMatchObject({ ok: true, scheme: "ESCAPED_UNICODE" });
  });

  it("accepts a signature over the raw bytes", () => {
    expect(verifySignature(body, hmac(body, "s"), ["s"])).toMatchObject({ ok: true, scheme: "RAW" });
  });

  it("accepts any configured secret", () => {
    expect(verifySignature(body, signLikeMeta(body, "second"), ["first", "second"]).ok).toBe(true);
  });

  it("accepts upper-case hex in the header", () => {
    expect(verifySignature(body, signLikeMeta(body, "s").toUpperCase().replace("SHA256", "sha256"), ["s"]).ok).toBe(true);
  });

  it("rejects a signature made with an unknown secret", () => {
    expect(verifySignature(body, signLikeMeta(body, "other"), ["s"]).ok).toBe(false);
  });

  it("rejects a missing or malformed header with a reason", () => {
    expect(verifySignature(body, undefined, ["s"])).toEqual({ ok: false, reason: "missing X-Hub-Signature-256 header" });
    expect(verifySignature(body, "sha256=abc", ["s"]).ok).toBe(false);
    expect(verifySignature(body, "sha1=" + "0".repeat(64), ["s"]).ok).toBe(false);
  });
});

describe("escapedBytes: Meta's escaped form built from the bytes", () => {
  it("is the string escaper's output for any well-formed text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "/", "\\", "é", "€", "😀", "\u0000", "\u007f", "\u0080", "\uffff", '"'), maxLength: 40 }), (text) => {
        // A backslash before an astral character (never valid JSON): the string escaper keeps half
        // of the surrogate pair, which no UTF-8 byte sequence can express; the byte escaper keeps both.
        fc.pre(![...text.matchAll(/\\[\s\S]/g)].some((m) => /[\ud800-\udbff]/.test(m[0])));
        const bytes = Buffer.from(text, "utf8");
        const expected = escapeLikeMeta(text);
        const got = escapedBytes(bytes);
        if (expected.equals(bytes)) expect(got).toBeUndefined();
        else expect(got?.toString("latin1")).toBe(expected.toString("latin1"));
      }),
      { numRuns: 2_000 },
    );
  });

  it("is undefined for ASCII without a bare slash (the raw bytes are the signed form)", () => {
    expect(escapedBytes(Buffer.from('{"a":"b\\/c"}'))).toBeUndefined();
  });

  it("is undefined for bytes that are not UTF-8 (such a body can only be signed raw)", () => {
    expect(escapedBytes(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))).toBeUndefined();
    expect(escapedBytes(Buffer.from([0xed, 0xa0, 0x80]))).toBeUndefined();
    expect(escapedBytes(Buffer.from([0xe2, 0x82]))).toBeUndefined();
  });

  it("still verifies a raw signature over bytes that are not UTF-8", () => {
    const body = Buffer.from([0x7b, 0xc3, 0x28, 0x7d]);
    expect(verifySignature(body, hmac(body, "s"), ["s"])).toMatchObject({ ok: true, scheme: "RAW" });
  });
});
