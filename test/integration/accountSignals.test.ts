import { describe, expect, it } from "vitest";
import { startApp, type TestApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { DISPLAY, PHONE_ID, WABA, inboundText } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * The operators' fields about a number, a WABA and a user, each from a fixture of Meta's webhook
 * reference (test/fixtures/README.md): signed webhook → stored once → typed GraphQL field, the later
 * event by Meta's time winning whatever the arrival order.
 */
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const USER = "16505551234";

async function deliver(app: TestApp, payload: unknown, outcome = "PROCESSED") {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ outcome });
}

async function query(app: TestApp, text: string, variables: Record<string, unknown> = {}) {
  const res = await app.graphql(text, variables);
  expect(res.errors).toBeUndefined();
  return res.data;
}

const NUMBER = `query ($id: String!) {
  waba(wabaId: $id) {
    phoneNumbers {
      phoneNumberId displayPhoneNumber
      quality { event metaEvent currentLimit oldLimit maxDailyConversationsPerBusiness at }
      qualityEvents { event at }
      verifiedName { decision requestedVerifiedName rejectionReason at }
      securityEvents { event requester at }
    }
  }
}`;

/** A fixture with another entry time (another event). */
function at(name: string, time: number) {
  const payload = fixture(name);
  payload.entry[0].time = time;
  return payload;
}

describe("a number's quality, name decision and security events", () => {
  it("reads phone_number_quality_update: the latest event by Meta's time, and every event newest first", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.signals.1", USER, 1739000000, "hi"));
    await deliver(app, fixture("phone_number_quality_update/throughput_upgrade"));
    await deliver(app, fixture("phone_number_quality_update/onboarding"));
    const [number] = (await query(app, NUMBER, { id: WABA })).waba.phoneNumbers;
    expect(number).toMatchObject({
      phoneNumberId: PHONE_ID,
      quality: { event: "THROUGHPUT_UPGRADE", metaEvent: "THROUGHPUT_UPGRADE", currentLimit: "TIER_UNLIMITED", oldLimit: null, at: iso(1748454394) },
      qualityEvents: [
        { event: "THROUGHPUT_UPGRADE", at: iso(1748454394) },
        { event: "ONBOARDING", at: iso(1739321024) },
      ],
    });
    await app.stop();
  });

  it("lists a number these fields name before any message names it, by its display number", async () => {
    const app = await startApp();
    await deliver(app, fixture("phone_number_name_update/approved"));
    const numbers = (await query(app, NUMBER, { id: WABA })).waba.phoneNumbers;
    expect(numbers).toEqual([
      expect.objectContaining({ phoneNumberId: null, displayPhoneNumber: DISPLAY, verifiedName: expect.objectContaining({ decision: "APPROVED" }) }),
    ]);
    await app.stop();
  });

  it("keeps the later display name decision when an earlier rejection arrives after the approval", async () => {
    const app = await startApp();
    await deliver(app, fixture("phone_number_name_update/approved"));
    await deliver(app, fixture("phone_number_name_update/rejected_format"));
    const [number] = (await query(app, NUMBER, { id: WABA })).waba.phoneNumbers;
    expect(number.verifiedName).toEqual({ decision: "APPROVED", requestedVerifiedName: "Lucky Shrub", rejectionReason: null, at: iso(1739321024) });
    await app.stop();
  });

  it("lists security events newest first, with the Meta Business Suite user who asked for a reset", async () => {
    const app = await startApp();
    await deliver(app, fixture("security/pin_reset_request"));
    await deliver(app, fixture("security/pin_changed"));
    const [number] = (await query(app, NUMBER, { id: WABA })).waba.phoneNumbers;
    expect(number.securityEvents).toEqual([
      { event: "PIN_RESET_REQUEST", requester: "61555822107539", at: iso(1748811473) },
      { event: "PIN_CHANGED", requester: null, at: iso(1748800000) },
    ]);
    await app.stop();
  });
});

describe("a WABA's capabilities and alerts", () => {
  const CAPABILITIES = `query ($id: String!) { waba(wabaId: $id) { capabilities { messagingLimit maxDailyConversationsPerBusiness maxPhoneNumbersPerWaba maxPhoneNumbersPerBusiness updatedAt } } }`;
  const ALERTS = `query ($id: String!, $openOnly: Boolean!) { waba(wabaId: $id) { alerts(openOnly: $openOnly) { entityType entityId severity status open type description at } } }`;

  it("reads each limit from the latest business_capability_update that carries it", async () => {
    const app = await startApp();
    const capabilityWaba = "524126980791429";
    await deliver(app, fixture("business_capability_update/waba_limits"));
    const older = fixture("business_capability_update/tier_250_portfolio");
    older.entry[0].id = capabilityWaba;
    await deliver(app, older);
    expect((await query(app, CAPABILITIES, { id: capabilityWaba })).waba.capabilities).toEqual({
      messagingLimit: "TIER_2K",
      maxDailyConversationsPerBusiness: "2000",
      maxPhoneNumbersPerWaba: 25,
      maxPhoneNumbersPerBusiness: 2,
      updatedAt: iso(1739321024),
    });
    await app.stop();
  });

  it("lists open alerts most severe first; a later NONE closes one; the App Dashboard's flat sample is read too", async () => {
    const app = await startApp();
    await deliver(app, fixture("account_alerts/increased_capabilities_deferred"));
    await deliver(app, fixture("account_alerts/profile_picture_lost"));
    await deliver(app, fixture("account_alerts/oba_approved_dashboard_sample"));
    expect((await query(app, ALERTS, { id: WABA, openOnly: true })).waba.alerts.map((a: { type: string }) => a.type)).toEqual([
      "PROFILE_PICTURE_LOST",
      "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
    ]);
    const closed = fixture("account_alerts/profile_picture_lost");
    closed.entry[0].time = 1745750000;
    closed.entry[0].changes[0].value.alert_info.alert_status = "NONE";
    await deliver(app, closed);
    const { alerts } = (await query(app, ALERTS, { id: WABA, openOnly: false })).waba;
    expect(alerts).toEqual([
      expect.objectContaining({ type: "PROFILE_PICTURE_LOST", severity: "CRITICAL", status: "NONE", open: false, at: iso(1745750000) }),
      expect.objectContaining({
        type: "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
        severity: "WARNING",
        open: true,
        entityType: "BUSINESS",
        entityId: "506914307656634",
      }),
      expect.objectContaining({ type: "OBA_APPROVED", severity: "INFORMATIONAL", status: "NONE", open: false }),
    ]);
    expect((await query(app, ALERTS, { id: WABA, openOnly: true })).waba.alerts.map((a: { type: string }) => a.type)).toEqual([
      "INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED",
    ]);
    await app.stop();
  });
});

describe("Contact.marketingOptOut", () => {
  const OPT_OUT = `query { contacts(first: 5) { edges { node { waId marketingOptOut { optedOut preference detail at } } } } }`;

  it("is null until Meta sends a preference, then the later by Meta's time wins: a stop delivered after a later resume leaves it resumed", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.signals.2", USER, 1731700000, "hello"));
    expect((await query(app, OPT_OUT)).contacts.edges[0].node.marketingOptOut).toBeNull();
    await deliver(app, fixture("user_preferences/resume"));
    await deliver(app, fixture("user_preferences/stop"));
    expect((await query(app, OPT_OUT)).contacts.edges[0].node.marketingOptOut).toEqual({
      optedOut: false,
      preference: "RESUME",
      detail: "User requested to resume marketing messages",
      at: iso(1731705721),
    });
    const later = fixture("user_preferences/stop");
    later.entry[0].changes[0].value.user_preferences[0].timestamp = 1731709999;
    await deliver(app, later);
    expect((await query(app, OPT_OUT)).contacts.edges[0].node.marketingOptOut).toMatchObject({ optedOut: true, preference: "STOP", at: iso(1731709999) });
    await app.stop();
  });

  it("keeps the readable preferences of a delivery when one item cannot be read (PARTIAL)", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.signals.3", USER, 1731700000, "hello"));
    const payload = fixture("user_preferences/stop");
    payload.entry[0].changes[0].value.user_preferences.unshift({ detail: "no user", category: "marketing_messages", value: "stop", timestamp: 1731705000 });
    await deliver(app, payload, "PARTIAL");
    expect((await query(app, OPT_OUT)).contacts.edges[0].node.marketingOptOut).toMatchObject({ optedOut: true });
    await app.stop();
  });
});

describe("the accountSignals subscription", () => {
  it("announces each new event of the fields asked for, once; a repeated delivery announces nothing", async () => {
    const app = await startApp();
    const events = await subscribe(
      wsClient(app.url),
      `subscription { accountSignals(wabaId: "${WABA}", fields: [security, phone_number_name_update]) { field subject at raw } }`,
    );
    await deliver(app, fixture("security/pin_changed"));
    await deliver(app, fixture("phone_number_quality_update/onboarding"));
    // The same event again, in a delivery of its own (beside an event of a field not asked for).
    await deliver(app, {
      ...fixture("security/pin_changed"),
      entry: [...fixture("security/pin_changed").entry, ...at("phone_number_quality_update/onboarding", 1739400000).entry],
    });
    await deliver(app, fixture("phone_number_name_update/approved"));
    expect((await events.next(2)).map((e) => [e.accountSignals.field, e.accountSignals.subject, e.accountSignals.at])).toEqual([
      ["security", `number:${DISPLAY}`, iso(1748800000)],
      ["phone_number_name_update", `number:${DISPLAY}`, iso(1739321024)],
    ]);
    await app.stop();
  });
});
