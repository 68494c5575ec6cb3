import { describe, expect, it } from "vitest";
import { readEnvelope } from "../../src/webhooks/envelope.ts";
import { parseChanges } from "../../src/webhooks/fields/index.ts";
import { SIGNAL_FIELDS } from "../../src/domain/accountSignals.ts";
import { messagingLimitTierOf } from "../../src/domain/numberSignals.ts";
import { fixture, fixtureNames } from "../helpers/meta.ts";

const RECEIVED = new Date("2026-12-06T12:00:00Z");
const parse = (payload: unknown) => parseChanges(readEnvelope(payload), RECEIVED);
const valueOf = (payload: Record<string, any>) => payload.entry[0].changes[0].value;

describe("the operators' fields", () => {
  it.each(SIGNAL_FIELDS.flatMap(fixtureNames))("%s parses into events, nothing failed or left unhandled", (name) => {
    const parsed = parse(fixture(name));
    expect(parsed.failedItems).toEqual([]);
    expect(parsed.unhandledFields).toEqual([]);
    expect(parsed.signalEvents.length).toBeGreaterThan(0);
  });

  it("name a number by its display number's digits", () => {
    const payload = fixture("security/pin_changed");
    valueOf(payload).display_phone_number = "+1 555-078-3881";
    expect(parse(payload).signalEvents[0]).toMatchObject({ subject: "number:15550783881", details: { number: "15550783881" } });
  });

  it("read an alert nested in alert_info (the reference) and one on the value itself (the App Dashboard's sample) alike", () => {
    const [nested] = parse(fixture("account_alerts/profile_picture_lost")).signalEvents;
    const flat = fixture("account_alerts/profile_picture_lost");
    const value = valueOf(flat);
    Object.assign(value, value.alert_info);
    delete value.alert_info;
    expect(parse(flat).signalEvents[0]!.details).toEqual(nested!.details);
  });

  it("refuse an alert without a type, saying where", () => {
    const payload = fixture("account_alerts/increased_capabilities_deferred");
    delete valueOf(payload).alert_info.alert_type;
    expect(parse(payload).failedItems[0]!.error).toMatch(/\(account_alerts\): alert_info\.alert_type/);
  });

  it("refuse a capability update that carries no limit", () => {
    const payload = fixture("business_capability_update/waba_limits");
    payload.entry[0].changes[0].value = {};
    expect(parse(payload).failedItems[0]!.error).toMatch(/expected at least one of/);
  });

  it("time a user preference by its own timestamp and name its user by BSUID when Meta gives no wa_id", () => {
    const payload = fixture("user_preferences/stop");
    const item = valueOf(payload).user_preferences[0];
    delete item.wa_id;
    item.user_id = "US.13491208655302741918";
    const [event] = parse(payload).signalEvents;
    expect(event).toMatchObject({
      subject: "user:106540352242922:user_id:US.13491208655302741918",
      occurredAt: new Date(1731705021 * 1000),
      raw: item,
    });
  });
});

describe("messaging limit tiers", () => {
  it.each([
    ["TIER_2K", "TIER_2K"],
    ["2000", "TIER_2K"],
    ["-1", "TIER_UNLIMITED"],
    ["TIER_5M", "OTHER"],
    [null, null],
  ])("%s reads %s", (raw, tier) => {
    expect(messagingLimitTierOf(raw)).toBe(tier);
  });
});
