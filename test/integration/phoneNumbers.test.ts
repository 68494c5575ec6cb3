import { describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { DISPLAY, PHONE_ID, WABA, accountUpdate, echoText, historyChunk, inboundText, status } from "../helpers/mirror.ts";

/**
 * Per-number coexistence signals. Meta's "Onboarding WhatsApp Business app users" guide (Webhooks →
 * account_update) shows a PARTNER_REMOVED naming the business number the business disconnected
 * from the app: test/fixtures/account_update/partner_removed_with_phone_number.json (WABA and
 * number of the samples' default business, entry time 1739212624).
 */
const NUMBERS = `query ($id: String!) {
  waba(wabaId: $id) {
    connectionState canSend
    phoneNumbers {
      phoneNumberId displayPhoneNumber wabaId lastActivityAt canSend
      historySync { status progress }
      disconnections(openOnly: true) { id kind phoneNumber resolvedAt }
    }
    disconnections { kind phoneNumber resolvedAt }
    events(first: 10) { edges { node { event phoneNumber } } }
  }
}`;
const REMOVED_AT = 1739212624;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const SECOND: samples.SampleBusiness = { wabaId: WABA, phoneNumberId: "106540352242923", displayNumber: "15550783882" };

async function numbersOf(app: TestApp, wabaId = WABA) {
  const res = await app.graphql(NUMBERS, { id: wabaId });
  expect(res.errors).toBeUndefined();
  return res.data.waba;
}

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  return res.json();
}

describe("Waba.phoneNumbers and per-number disconnections", () => {
  it("lists a number named only by a PARTNER_REMOVED, before any message: no id yet, cannot send, its disconnection open; the WABA stays connected", async () => {
    const app = await startApp();
    await deliver(app, fixture("account_update/partner_removed_with_phone_number"));
    const waba = await numbersOf(app);
    expect(waba).toMatchObject({ connectionState: "CONNECTED", canSend: true });
    expect(waba.phoneNumbers).toEqual([
      {
        phoneNumberId: null,
        displayPhoneNumber: DISPLAY,
        wabaId: WABA,
        lastActivityAt: iso(REMOVED_AT),
        canSend: false,
        historySync: { status: "NOT_STARTED", progress: 0 },
        disconnections: [{ id: expect.any(String), kind: "PARTNER_REMOVED", phoneNumber: DISPLAY, resolvedAt: null }],
      },
    ]);
    expect(waba.disconnections).toEqual([{ kind: "PARTNER_REMOVED", phoneNumber: DISPLAY, resolvedAt: null }]);
    expect(waba.events.edges).toEqual([{ node: { event: "PARTNER_REMOVED", phoneNumber: DISPLAY } }]);
    await app.stop();
  });

  it("replaces the account_update's number with the one a message names by id, keeping the later activity and the disconnection", async () => {
    const app = await startApp();
    await deliver(app, fixture("account_update/partner_removed_with_phone_number"));
    await deliver(app, inboundText("wamid.numbers.1", "16505551234", REMOVED_AT - 3600, "before the removal"));
    const waba = await numbersOf(app);
    expect(waba.phoneNumbers).toEqual([
      expect.objectContaining({ phoneNumberId: PHONE_ID, displayPhoneNumber: DISPLAY, lastActivityAt: iso(REMOVED_AT), canSend: false }),
    ]);
    await app.stop();
  });

  it("attaches a PARTNER_REMOVED naming a number the hub knows to that number: the WABA's other number can still send", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.numbers.2", "16505551234", REMOVED_AT - 60, "hello"));
    await deliver(app, samples.inboundText(SECOND, { wamid: "wamid.numbers.3", user: "16505551234", at: REMOVED_AT - 30, body: "hi", profileName: "Sheena" }));
    await deliver(app, fixture("account_update/partner_removed_with_phone_number"));
    const waba = await numbersOf(app);
    expect(
      waba.phoneNumbers.map((n: { phoneNumberId: string; canSend: boolean; lastActivityAt: string }) => [n.phoneNumberId, n.canSend, n.lastActivityAt]),
    ).toEqual([
      [PHONE_ID, false, iso(REMOVED_AT)],
      [SECOND.phoneNumberId, true, iso(REMOVED_AT - 30)],
    ]);
    await app.stop();
  });

  it("resolves the number's disconnection when the business onboards again (PARTNER_ADDED without a number)", async () => {
    const app = await startApp();
    await deliver(app, fixture("account_update/partner_removed_with_phone_number"));
    await deliver(app, accountUpdate(WABA, REMOVED_AT + 600, { event: "PARTNER_ADDED", waba_info: { waba_id: WABA } }));
    const waba = await numbersOf(app);
    expect(waba.phoneNumbers).toEqual([expect.objectContaining({ canSend: true, disconnections: [] })]);
    expect(waba.disconnections).toEqual([{ kind: "PARTNER_REMOVED", phoneNumber: DISPLAY, resolvedAt: iso(REMOVED_AT + 600) }]);
    await app.stop();
  });

  it("a WABA-wide disconnection stops every number", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.numbers.4", "16505551234", REMOVED_AT - 60, "hello"));
    await deliver(app, samples.accountOffboarded(WABA, REMOVED_AT));
    const waba = await numbersOf(app);
    expect(waba).toMatchObject({ connectionState: "OFFBOARDED", canSend: false });
    expect(waba.phoneNumbers).toEqual([expect.objectContaining({ phoneNumberId: PHONE_ID, canSend: false, disconnections: [] })]);
    await app.stop();
  });

  it("moves lastActivityAt forward only: an older status, echo or history message arriving later leaves it", async () => {
    const app = await startApp();
    const t = 1_760_000_000;
    await deliver(app, inboundText("wamid.numbers.5", "16505551234", t, "newest"));
    await deliver(app, echoText("wamid.numbers.6", "16505551234", t - 50, "older echo"));
    await deliver(app, status("wamid.numbers.6", "16505551234", t - 40, "delivered"));
    await deliver(app, historyChunk(0, 1, 40, [{ wamid: "wamid.numbers.7", user: "16505551234", outbound: false, at: t - 9000, body: "old" }]));
    const [number] = (await numbersOf(app)).phoneNumbers;
    expect(number).toMatchObject({ lastActivityAt: iso(t), historySync: { status: "IN_PROGRESS", progress: 40 } });
    await deliver(app, status("wamid.numbers.6", "16505551234", t + 5, "read"));
    expect((await numbersOf(app)).phoneNumbers[0].lastActivityAt).toBe(iso(t + 5));
    await app.stop();
  });

  it("refuses a phone_number without digits as a failed item, naming what arrived", async () => {
    const app = await startApp();
    const body = await deliver(app, accountUpdate(WABA, REMOVED_AT, { event: "PARTNER_REMOVED", phone_number: "n/a" }));
    expect(body.outcome).toBe("FAILED");
    const deliveries = await app.graphql("{ webhookDeliveries { edges { node { status error } } } }");
    expect(deliveries.data.webhookDeliveries.edges[0].node.error).toContain('phone_number must contain digits, got "n/a"');
    await app.stop();
  });
});

describe("a WABA seen first through its messages", () => {
  const LISTED = `{ wabas(first: 10) { edges { node { wabaId connectionState canSend lastEventAt events(first: 1) { edges { node { event } } } phoneNumbers { phoneNumberId } } } } }`;

  it("is listed from its first message: connected, no events yet, its number under it", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.listed.1", "16505551234", REMOVED_AT, "first contact"));
    const res = await app.graphql(LISTED);
    expect(res.errors).toBeUndefined();
    expect(res.data.wabas.edges).toEqual([
      {
        node: {
          wabaId: WABA,
          connectionState: "CONNECTED",
          canSend: true,
          lastEventAt: null,
          events: { edges: [] },
          phoneNumbers: [{ phoneNumberId: PHONE_ID }],
        },
      },
    ]);
    await app.stop();
  });

  it("keeps the state its events made: a message after ACCOUNT_OFFBOARDED does not reconnect it, in either arrival order", async () => {
    for (const order of ["event first", "message first"] as const) {
      const app = await startApp();
      const offboarded = samples.accountOffboarded(WABA, REMOVED_AT);
      const message = inboundText("wamid.listed.2", "16505551234", REMOVED_AT + 60, "after the offboarding");
      for (const payload of order === "event first" ? [offboarded, message] : [message, offboarded]) await deliver(app, payload);
      expect((await numbersOf(app)).connectionState, order).toBe("OFFBOARDED");
      await app.stop();
    }
  });
});
