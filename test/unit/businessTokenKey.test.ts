import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/env.ts";

const configWith = (key: string | undefined) => loadConfig({ NODE_ENV: "test", BUSINESS_TOKEN_KEY: key }).config.onboarding.tokenKey;

describe("BUSINESS_TOKEN_KEY", () => {
  it("takes 32 bytes in base64 or in hex", () => {
    const key = randomBytes(32);
    expect(configWith(key.toString("base64"))).toEqual(key);
    expect(configWith(key.toString("hex"))).toEqual(key);
  });

  it("is optional: unset or empty, no key (a code is then refused)", () => {
    expect(configWith(undefined)).toBeUndefined();
    expect(configWith("")).toBeUndefined();
  });

  it("refuses a key of another length, saying what it expected and what it got", () => {
    expect(() => configWith(randomBytes(16).toString("base64"))).toThrow(
      /BUSINESS_TOKEN_KEY: expected 32 bytes in base64 \(44 characters\) or hex \(64\), got 16 bytes/,
    );
  });
});
