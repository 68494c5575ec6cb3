import { describe, expect, it } from "vitest";
import { appActivityByNumber, inactivityRisk } from "../../src/domain/inactivity.ts";
import { FIXTURE_BUSINESS, parse } from "../helpers/parsers.ts";
import { fixture } from "../helpers/meta.ts";

const DAY = 86_400_000;
// Meta's time of the last sign of the app (an echo's timestamp), and "now" some days later.
const LAST = new Date(1_760_000_000 * 1000);
const after = (days: number) => new Date(LAST.getTime() + days * DAY);

describe("a number's inactivity risk", () => {
  it.each([
    [0, "OK", 14, LAST],
    [9.99, "OK", 4, LAST],
    [10, "WARN", 4, after(10)],
    [11.5, "WARN", 2, after(10)],
    [12, "CRITICAL", 2, after(12)],
    [13.9, "CRITICAL", 0, after(12)],
    [20, "CRITICAL", 0, after(12)],
  ])("%s days after the last sign of the app: %s, %s whole days left", (days, level, daysLeft, since) => {
    expect(inactivityRisk(LAST, after(days))).toEqual({ level, daysLeft, since });
  });

  it("follows the configured thresholds", () => {
    const policy = { warnDays: 5, criticalDays: 8, disconnectDays: 14 };
    expect(inactivityRisk(LAST, after(6), policy)).toMatchObject({ level: "WARN", since: after(5) });
    expect(inactivityRisk(LAST, after(8), policy)).toMatchObject({ level: "CRITICAL", since: after(8) });
  });

  it("reads a last sign ahead of our clock as activity now", () => {
    expect(inactivityRisk(after(1), LAST)).toEqual({ level: "OK", daysLeft: 14, since: after(1) });
  });

  it("is unknown without any sign of the app", () => {
    expect(inactivityRisk(null, LAST)).toBeNull();
  });
});

describe("the signs of the app in a delivery", () => {
  const at = (seconds: string | number) => new Date(Number(seconds) * 1000);

  it("are an echo's time", () => {
    expect(appActivityByNumber(parse(fixture("smb_message_echoes/text_with_plus_in_to")))).toEqual(new Map([[FIXTURE_BUSINESS.phoneNumberId, at(1700255121)]]));
  });

  it("are the latest address-book sync's time", () => {
    expect(appActivityByNumber(parse(fixture("smb_app_state_sync/contact_add")))).toEqual(new Map([[FIXTURE_BUSINESS.phoneNumberId, at(1739321025)]]));
  });

  it("are the latest message the business sent in a history chunk, not the users' messages", () => {
    const chunk = fixture("history/chunk_approved");
    const sent = chunk.entry[0].changes[0].value.history[0].threads.flatMap((t: { messages: { from: string; timestamp: string }[] }) =>
      t.messages.filter((m) => m.from === FIXTURE_BUSINESS.displayPhoneNumber).map((m) => Number(m.timestamp)),
    );
    expect(appActivityByNumber(parse(chunk))).toEqual(new Map([[FIXTURE_BUSINESS.phoneNumberId, at(Math.max(...sent))]]));
  });

  it("are none in a user's message or a status", () => {
    expect(appActivityByNumber([...parse(fixture("messages/inbound_text")), ...parse(fixture("messages/status_read"))])).toEqual(new Map());
  });
});
