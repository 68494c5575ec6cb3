import { describe, expect, it } from "vitest";
import {
  ALERT_EVENT_TYPES,
  disconnectionAlert,
  inactivityAlert,
  parseAlertEvents,
  stallAlert,
  templateAlert,
  wantsEvent,
} from "../../src/domain/alertEvents.ts";
import { alertSummary, slackBody, type PostedEvent } from "../../src/domain/alertBodies.ts";
import { MAX_RETRY_DELAY_MS, nextTryAt } from "../../src/domain/alertRetry.ts";
import { deadlineApproaching, SYNC_WINDOW_MS } from "../../src/domain/syncDeadline.ts";
import { signAlert, verifyAlert } from "../../src/alerts/signature.ts";

const T0 = new Date("2026-12-06T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("a target's event list", () => {
  it("is all of them, or known names only; a typo is refused with the names it could be", () => {
    expect(parseAlertEvents("all")).toBe("*");
    expect(parseAlertEvents("inactivity.warn, disconnection.opened")).toEqual(["disconnection.opened", "inactivity.warn"]);
    expect(() => parseAlertEvents("disconnection.open")).toThrow(/unknown event "disconnection.open"; expected "all" or some of disconnection.opened/);
    expect(() => parseAlertEvents(" , ")).toThrow(/expected "all"/);
  });

  it("matches an event by name, or every event for *", () => {
    expect(wantsEvent(["*"], "delivery.failed")).toBe(true);
    expect(wantsEvent(["template.paused"], "template.paused")).toBe(true);
    expect(wantsEvent(["template.paused"], "template.disabled")).toBe(false);
  });
});

describe("an alert's key", () => {
  const d = {
    id: "ev1",
    wabaId: "w",
    kind: "PARTNER_REMOVED",
    phoneNumber: null,
    reason: null,
    initiatedBy: null,
    recommendedAction: "X",
    occurredAt: T0,
    resolvedAt: null,
  };

  it("names the disconnection once opened and once resolved", () => {
    expect(disconnectionAlert(d, "OPENED").key).toBe("disconnection.opened:ev1");
    expect(disconnectionAlert({ ...d, resolvedAt: at(5) }, "RESOLVED")).toMatchObject({ key: "disconnection.resolved:ev1", occurredAt: at(5) });
  });

  it("of inactivity changes with the last sign of the app (a new silence warns again) and OK warns of nothing", () => {
    const n = { phoneNumberId: "p", wabaId: "w", lastAppActivityAt: T0 };
    expect(inactivityAlert(n, "WARN", at(1))?.key).toBe(`inactivity.warn:p:${T0.toISOString()}`);
    expect(inactivityAlert({ ...n, lastAppActivityAt: at(9) }, "WARN", at(10))?.key).not.toBe(inactivityAlert(n, "WARN", at(1))?.key);
    expect(inactivityAlert(n, "OK", at(1))).toBeNull();
  });

  it("of a template is per status event; an approved template is no alert", () => {
    const t = { id: "w|template:1", wabaId: "w", name: "hello", language: "en", status: "PAUSED", reason: null, changedAt: T0 };
    expect(templateAlert(t)?.key).toBe(`template.paused:w|template:1:${T0.toISOString()}`);
    expect(templateAlert({ ...t, status: "disabled" })?.type).toBe("template.disabled");
    expect(templateAlert({ ...t, status: "APPROVED" })).toBeNull();
  });

  it("of a stall is the disconnection's, or the number's and its sync's start", () => {
    expect(stallAlert({ kind: "OFFBOARDING", wabaId: "w", phoneNumberId: null, disconnectionId: "d" }, null, T0).key).toBe("offboarding.stalled:d");
    expect(stallAlert({ kind: "HISTORY_SYNC", wabaId: "w", phoneNumberId: "p", disconnectionId: null }, T0, at(1)).key).toBe(
      `history_sync.stalled:p:${T0.toISOString()}`,
    );
  });
});

describe("the sync deadline warning", () => {
  const none = { CONTACTS: null, HISTORY: null };
  const lead = 2 * 3600_000;
  it("is due within the lead before the deadline, not before it nor after it", () => {
    expect(deadlineApproaching(T0, none, at(SYNC_WINDOW_MS - lead - 1), lead)).toBeNull();
    expect(deadlineApproaching(T0, none, at(SYNC_WINDOW_MS - lead), lead)).toEqual(["CONTACTS", "HISTORY"]);
    expect(deadlineApproaching(T0, none, at(SYNC_WINDOW_MS + 1), lead)).toBeNull();
  });

  it("names only the syncs not requested, and none once both are", () => {
    const requested = { requestedAt: at(1), attemptedAt: at(1), error: null };
    expect(deadlineApproaching(T0, { CONTACTS: requested, HISTORY: null }, at(SYNC_WINDOW_MS - 1), lead)).toEqual(["HISTORY"]);
    expect(deadlineApproaching(T0, { CONTACTS: requested, HISTORY: requested }, at(SYNC_WINDOW_MS - 1), lead)).toBeNull();
  });
});

describe("retries", () => {
  it("double from the base, never wait more than the cap, and stop past the give-up time", () => {
    const giveUp = at(3600_000);
    expect([1, 2, 3].map((n) => nextTryAt(n, 1000, T0, giveUp)!.getTime() - T0.getTime())).toEqual([1000, 2000, 4000]);
    expect(nextTryAt(40, 1000, T0, at(10 * 3600_000))!.getTime() - T0.getTime()).toBe(MAX_RETRY_DELAY_MS);
    expect(nextTryAt(1, 1000, T0, at(999))).toBeNull();
  });
});

describe("a signed alert", () => {
  const body = '{"type":"disconnection.opened"}';
  const now = T0.getTime();
  const ts = Math.floor(now / 1000);
  const headers = { signature: signAlert("s3cret", ts, body), timestamp: String(ts) };

  it("verifies with its secret, body and timestamp", () => {
    expect(verifyAlert("s3cret", headers, body, now)).toBe(true);
  });

  it("does not verify with another body, another timestamp, another secret, or when older than 5 minutes", () => {
    expect(verifyAlert("s3cret", headers, `${body} `, now)).toBe(false);
    expect(verifyAlert("s3cret", { ...headers, timestamp: String(ts + 1) }, body, now)).toBe(false);
    expect(verifyAlert("other", headers, body, now)).toBe(false);
    expect(verifyAlert("s3cret", headers, body, now + 301_000)).toBe(false);
  });
});

describe("the Slack body", () => {
  it("has a summary for every event type, as its text and first block", () => {
    for (const type of ALERT_EVENT_TYPES) {
      const e: PostedEvent = { id: "1", type, wabaId: "w", occurredAt: T0, data: { phoneNumberId: "p", kind: "K", status: "PAUSED" } };
      const body = JSON.parse(slackBody(e));
      expect(body.text).toBe(alertSummary(e));
      expect(body.text.length).toBeGreaterThan(10);
      expect(body.blocks[0].text.text).toContain(type);
    }
  });
});
