import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openToken, sealToken } from "../../src/outbound/tokenSeal.ts";

const flipFirstByte = (part: string) => {
  const bytes = Buffer.from(part, "base64url");
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString("base64url");
};

describe("a sealed business token", () => {
  const key = randomBytes(32);
  const token = "EAABsealedtokenforthetest0123456789";

  it("opens with its key and WABA, and shows nothing of the token", () => {
    const sealed = sealToken(key, token, "102290129340398");
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(token);
    expect(openToken(key, sealed, "102290129340398")).toBe(token);
  });

  it("differs each time it is sealed (a fresh IV)", () => {
    expect(sealToken(key, token, "1")).not.toBe(sealToken(key, token, "1"));
  });

  it("does not open under another key, for another WABA, or altered, and the error never names the token", () => {
    const sealed = sealToken(key, token, "1");
    const [v, iv, tag, ct] = sealed.split(".");
    const altered = [v, iv, tag, flipFirstByte(ct!)].join(".");
    for (const attempt of [() => openToken(randomBytes(32), sealed, "1"), () => openToken(key, sealed, "2"), () => openToken(key, altered, "1")]) {
      expect(attempt).toThrow(/BUSINESS_TOKEN_KEY does not open the stored token of WABA/);
      try {
        attempt();
      } catch (error) {
        expect(String(error)).not.toContain(token);
      }
    }
  });
});
