import { describe, expect, it } from "vitest";
import { readEnvelope } from "../../src/webhooks/envelope.ts";
import { parseAccountUpdate } from "../../src/webhooks/fields/accountUpdate.ts";
import { fixture } from "../helpers/meta.ts";

const RECEIVED = new Date("2026-11-29T12:00:00Z");
const parse = (payload: unknown) => readEnvelope(payload).flatMap((c) => parseAccountUpdate(c, RECEIVED));
const withPhone = (phone: unknown) => ({
  object: "whatsapp_business_account",
  entry: [{ id: "102290129340398", time: 1739212624, changes: [{ field: "account_update", value: { phone_number: phone, event: "PARTNER_REMOVED" } }] }],
});

describe("account_update: the number an event names", () => {
  it("reads Meta's coexistence PARTNER_REMOVED as about number 15550783881 of the entry's WABA", () => {
    const [event] = parse(fixture("account_update/partner_removed_with_phone_number"));
    expect(event).toMatchObject({ wabaId: "102290129340398", event: "PARTNER_REMOVED", phoneNumber: "15550783881" });
  });

  it("keeps digits only, so a number written with + and spaces, or sent as a JSON number, names the same number", () => {
    expect(parse(withPhone("+1 555-078-3881"))[0]!.phoneNumber).toBe("15550783881");
    expect(parse(withPhone(15550783881))[0]!.phoneNumber).toBe("15550783881");
  });

  it("names no number when there is no phone_number: the event is the whole WABA's", () => {
    expect(parse(fixture("account_update/partner_removed_primary_inactivity_by_system"))[0]!.phoneNumber).toBeNull();
  });

  it("refuses a phone_number of another type, saying where", () => {
    expect(() => parse(withPhone({ n: 1 }))).toThrow(/entry\[0\]\.changes\[0\] \(account_update\).*phone_number/);
  });
});
