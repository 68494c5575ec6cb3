import { describe, expect, it } from "vitest";
import { checkInactivity } from "../../src/ingest/inactivity.ts";
import { createHubPubSub } from "../../src/pubsub.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { withDb } from "../helpers/database.ts";
import { WABA, echoText, historyChunk, inboundText, stateSync } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * PhoneNumber.lastAppActivityAt and inactivityRisk from the app's signs (echoes, address-book
 * syncs, messages the business sent in a history chunk), by Meta's timestamps: the webhooks carry
 * times some days before now, so no test waits for a clock.
 */
const DAY = 86_400;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const USER = "16505551234";
const RISK = `query ($id: String!) { waba(wabaId: $id) { phoneNumbers { lastActivityAt lastAppActivityAt inactivityRisk { level daysLeft since } } } }`;

async function numberOf(app: TestApp) {
  const res = await app.graphql(RISK, { id: WABA });
  expect(res.errors).toBeUndefined();
  return res.data.waba.phoneNumbers[0];
}

async function deliver(app: TestApp, payload: unknown) {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
}

describe("PhoneNumber.inactivityRisk", () => {
  it("warns 11 days after the last echo, with 2 whole days left, and is OK again after an address-book sync from the app", async () => {
    const app = await startApp();
    const echoed = nowSeconds() - 11 * DAY;
    await deliver(app, echoText("wamid.idle.1", USER, echoed, "sent from the app"));
    expect(await numberOf(app)).toMatchObject({
      lastAppActivityAt: iso(echoed),
      inactivityRisk: { level: "WARN", daysLeft: 2, since: iso(echoed + 10 * DAY) },
    });
    const synced = nowSeconds() - DAY;
    await deliver(app, stateSync("5511999990000", "add", synced, "Ana Souza"));
    expect(await numberOf(app)).toMatchObject({ lastAppActivityAt: iso(synced), inactivityRisk: { level: "OK", daysLeft: 12, since: iso(synced) } });
    await app.stop();
  });

  it("is not cleared by users' messages: they reach the number whether or not the app is opened", async () => {
    const app = await startApp();
    const echoed = nowSeconds() - 13 * DAY;
    await deliver(app, echoText("wamid.idle.2", USER, echoed, "last message from the app"));
    await deliver(app, inboundText("wamid.idle.3", USER, nowSeconds() - 60, "are you there?"));
    const number = await numberOf(app);
    expect(number.lastActivityAt).not.toBe(iso(echoed));
    expect(number).toMatchObject({ lastAppActivityAt: iso(echoed), inactivityRisk: { level: "CRITICAL", daysLeft: 0, since: iso(echoed + 12 * DAY) } });
    await app.stop();
  });

  it("counts a message the business sent in a history chunk, not the user's; a late, older echo leaves the later time", async () => {
    const app = await startApp();
    const sent = nowSeconds() - 12 * DAY - 3600;
    await deliver(
      app,
      historyChunk(0, 1, 100, [
        { wamid: "wamid.idle.4", user: USER, outbound: true, at: sent, body: "from the app" },
        { wamid: "wamid.idle.5", user: USER, outbound: false, at: sent + 600, body: "from the user" },
      ]),
    );
    expect(await numberOf(app)).toMatchObject({ lastAppActivityAt: iso(sent), inactivityRisk: { level: "CRITICAL" } });
    await deliver(app, echoText("wamid.idle.6", USER, sent - DAY, "older"));
    expect((await numberOf(app)).lastAppActivityAt).toBe(iso(sent));
    await app.stop();
  });

  it("is null for a number whose app the hub has never seen (a Cloud API number, or no echo yet)", async () => {
    const app = await startApp();
    await deliver(app, inboundText("wamid.idle.7", USER, nowSeconds() - 20 * DAY, "hello"));
    expect(await numberOf(app)).toMatchObject({ lastAppActivityAt: null, inactivityRisk: null });
    await app.stop();
  });
});

describe("inactivity levels over time", () => {
  it("moves from OK to WARN to CRITICAL as days pass without a sign of the app, announcing each change once", async () => {
    const app = await startApp();
    const echoed = nowSeconds() - DAY;
    await deliver(app, echoText("wamid.idle.8", USER, echoed, "hi"));
    const pubsub = await createHubPubSub();
    const policy = { warnDays: 10, criticalDays: 12, disconnectDays: 14 };
    const at = (days: number) => new Date((echoed + days * DAY) * 1000);
    const levels = await withDb(app.databaseUrl, async (db) => [
      await checkInactivity(db, pubsub, at(1), policy),
      await checkInactivity(db, pubsub, at(9), policy),
      await checkInactivity(db, pubsub, at(10.5), policy),
      await checkInactivity(db, pubsub, at(11), policy),
      await checkInactivity(db, pubsub, at(12), policy),
    ]);
    expect(levels.map((changed) => changed.map((c) => c.level))).toEqual([["OK"], [], ["WARN"], [], ["CRITICAL"]]);
    await pubsub.close();
    await app.stop();
  });

  it("are announced on the inactivityLevels subscription: CRITICAL for a number last seen 13 days ago, OK once its app sends again", async () => {
    const app = await startApp({ inactivity: { warnDays: 10, criticalDays: 12, disconnectDays: 14, checkIntervalMs: 50 } });
    const events = await subscribe(wsClient(app.url), `subscription { inactivityLevels(wabaId: "${WABA}") { phoneNumberId inactivityRisk { level } } }`);
    await deliver(app, echoText("wamid.idle.9", USER, nowSeconds() - 13 * DAY, "before the holidays"));
    await events.waitFor((e) => e.inactivityLevels.inactivityRisk.level === "CRITICAL");
    await deliver(app, echoText("wamid.idle.10", USER, nowSeconds(), "back"));
    await events.waitFor((e) => e.inactivityLevels.inactivityRisk.level === "OK");
    expect(events.received.map((e) => e.inactivityLevels.inactivityRisk.level)).toEqual(["CRITICAL", "OK"]);
    await app.stop();
  });
});
