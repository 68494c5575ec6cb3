import { describe, expect, it } from "vitest";
import { createHubPubSub } from "../../src/pubsub.ts";
import { checkStalls } from "../../src/server/stallWatch.ts";
import { startApp, type TestApp } from "../helpers/app.ts";
import { withDb } from "../helpers/database.ts";
import { accountUpdate } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * An ACCOUNT_OFFBOARDED that Meta does not answer with ACCOUNT_RECONNECTED within
 * OFFBOARDING_STALL_MINUTES (30 here) of its own time is stalled. The webhooks carry Meta's times
 * some minutes before now, and the watch's check is called with a chosen "now": nothing waits for a clock.
 */
const MINUTE = 60;
const POLICY = { offboardingMinutes: 30, historySyncMinutes: 60 };
const nowSeconds = () => Math.floor(Date.now() / 1000);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const DISCONNECTIONS = `query ($w: String!) { waba(wabaId: $w) { connectionState disconnections { id kind resolvedAt stalled stalledAt recommendedAction } } }`;

let counter = 0;
const newWaba = () => `9${Date.now() % 1e8}${++counter}`;
const offboarded = (wabaId: string, at: number) => accountUpdate(wabaId, at, { event: "ACCOUNT_OFFBOARDED" });
const reconnected = (wabaId: string, at: number) => accountUpdate(wabaId, at, { event: "ACCOUNT_RECONNECTED" });

async function deliver(app: TestApp, payload: unknown) {
  expect((await app.deliver(payload)).status).toBe(200);
}

async function disconnectionOf(app: TestApp, wabaId: string) {
  const res = await app.graphql(DISCONNECTIONS, { w: wabaId });
  expect(res.errors).toBeUndefined();
  expect(res.data.waba.disconnections).toHaveLength(1);
  return res.data.waba.disconnections[0];
}

/** The watch's check at `at` (unix seconds) through a pubsub of the test's own: what it recorded, for this WABA. */
async function checkAt(app: TestApp, wabaId: string, at: number) {
  const pubsub = await createHubPubSub();
  try {
    const stalled = await withDb(app.databaseUrl, (db) => checkStalls(db, pubsub, new Date(at * 1000), POLICY));
    return stalled.filter((s) => s.wabaId === wabaId);
  } finally {
    await pubsub.close();
  }
}

describe("an offboarding's stall", () => {
  it("comes 30 minutes after Meta's time of it, is recorded once across checks, and changes the recommended action", async () => {
    const app = await startApp();
    const w = newWaba();
    const at = nowSeconds() - 60;
    await deliver(app, offboarded(w, at));
    expect(await disconnectionOf(app, w)).toMatchObject({ stalled: false, stalledAt: null, recommendedAction: "PAUSE_AND_AWAIT_RECONNECT" });

    expect(await checkAt(app, w, at + 29 * MINUTE)).toEqual([]);
    const first = await checkAt(app, w, at + 30 * MINUTE);
    const again = await checkAt(app, w, at + 45 * MINUTE);
    const { id } = await disconnectionOf(app, w);
    expect(first).toEqual([{ kind: "OFFBOARDING", wabaId: w, phoneNumberId: null, disconnectionId: id }]);
    expect(again).toEqual([]);
    expect(await disconnectionOf(app, w)).toMatchObject({
      stalled: true,
      stalledAt: iso(at + 30 * MINUTE),
      recommendedAction: "FINISH_REONBOARDING",
      resolvedAt: null,
    });
    await app.stop();
  });

  it("is on arrival for an offboarding delivered late, announced once on the disconnections subscription as STALLED", async () => {
    const app = await startApp();
    const w = newWaba();
    const events = await subscribe(wsClient(app.url), `subscription ($w: String) { disconnections(wabaId: $w) { kind change stalled recommendedAction } }`, {
      w,
    });
    const at = nowSeconds() - 31 * MINUTE;
    await deliver(app, offboarded(w, at));
    await events.waitFor((e) => e.disconnections.change === "STALLED");
    // Checks later find it recorded already: nothing more is announced.
    expect(await checkAt(app, w, nowSeconds())).toEqual([]);
    expect(events.received).toEqual([
      { disconnections: { kind: "ACCOUNT_OFFBOARDED", change: "OPENED", stalled: expect.any(Boolean), recommendedAction: expect.any(String) } },
      { disconnections: { kind: "ACCOUNT_OFFBOARDED", change: "STALLED", stalled: true, recommendedAction: "FINISH_REONBOARDING" } },
    ]);
    expect(await disconnectionOf(app, w)).toMatchObject({ stalled: true, stalledAt: iso(at + 30 * MINUTE) });
    await app.stop();
  });

  it("never comes for an offboarding reconnected before its stall time, whenever the check runs", async () => {
    const app = await startApp();
    const w = newWaba();
    const at = nowSeconds() - 2 * 3600;
    await deliver(app, offboarded(w, at));
    await deliver(app, reconnected(w, at + 10 * MINUTE));
    expect(await checkAt(app, w, nowSeconds())).toEqual([]);
    expect(await disconnectionOf(app, w)).toMatchObject({
      resolvedAt: iso(at + 10 * MINUTE),
      stalled: false,
      stalledAt: null,
      recommendedAction: "PAUSE_AND_AWAIT_RECONNECT",
    });
    await app.stop();
  });

  it("ends when Meta reconnects after it: resolved, no longer stalled, and the action is the offboarding's again", async () => {
    const app = await startApp();
    const w = newWaba();
    const at = nowSeconds() - 3 * 3600;
    await deliver(app, offboarded(w, at));
    await checkAt(app, w, nowSeconds());
    expect((await disconnectionOf(app, w)).stalled).toBe(true);
    await deliver(app, reconnected(w, at + 2 * 3600));
    const res = await app.graphql(DISCONNECTIONS, { w });
    expect(res.data.waba.connectionState).toBe("CONNECTED");
    expect(res.data.waba.disconnections[0]).toMatchObject({
      resolvedAt: iso(at + 2 * 3600),
      stalled: false,
      stalledAt: null,
      recommendedAction: "PAUSE_AND_AWAIT_RECONNECT",
    });
    expect(await checkAt(app, w, nowSeconds())).toEqual([]);
    await app.stop();
  });

  it("ends the same way when the reconnection delivered after it is timed, by Meta, before it", async () => {
    const app = await startApp();
    const w = newWaba();
    const at = nowSeconds() - 3 * 3600;
    await deliver(app, offboarded(w, at));
    await checkAt(app, w, nowSeconds());
    expect((await disconnectionOf(app, w)).stalled).toBe(true);
    await deliver(app, reconnected(w, at + 5 * MINUTE));
    expect(await disconnectionOf(app, w)).toMatchObject({ resolvedAt: iso(at + 5 * MINUTE), stalled: false, stalledAt: null });
    await app.stop();
  });
});
