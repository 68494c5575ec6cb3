import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { escapeLikeMeta, signLikeMeta, verifySignature } from "../../src/webhooks/signature.ts";

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
    expect(verifySignature(body, signLikeMeta(body, "s"), ["s"])).toEqual({ ok: true, scheme: "ESCAPED_UNICODE" });
  });

  it("accepts a signature over the raw bytes", () => {
    expect(verifySignature(body, hmac(body, "s"), ["s"])).toEqual({ ok: true, scheme: "RAW" });
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
