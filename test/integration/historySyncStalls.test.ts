import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHubPubSub } from "../../src/pubsub.ts";
import { checkStalls } from "../../src/server/stallWatch.ts";
import { startApp, type TestApp, TEST_GRAPH } from "../helpers/app.ts";
import { withDb } from "../helpers/database.ts";
import { fakeGraph, GRAPH_TOKEN } from "../helpers/fakeGraph.ts";
import { historyChunkOf, inbound, partnerAdded, type Business } from "../helpers/mirror.ts";
import { subscribe, wsClient } from "../helpers/subscriptions.ts";

/**
 * A history sync that was started (requested through startSync, or sending chunks) and then silent
 * for HISTORY_SYNC_STALL_MINUTES (60 here) is stalled, once, until its next chunk. The checks are
 * called with a chosen "now", counted from the request's or the chunk's recorded time.
 */
const MINUTE_MS = 60_000;
const POLICY = { offboardingMinutes: 30, historySyncMinutes: 60 };
const now = () => Math.floor(Date.now() / 1000);
const SYNC = `query ($w: String!) { waba(wabaId: $w) { phoneNumbers { phoneNumberId historySync { status historyRequestedAt stalled stalledAt } } } }`;

let counter = 0;
function business(): Business {
  const n = `${Date.now() % 1e6}${++counter}`;
  return { wabaId: `8${n}`, phoneNumberId: `5${n}`, display: `+1 555 03${n.slice(-4)}` };
}
const user = () => `1650${randomBytes(3).readUIntBE(0, 3)}`;

async function deliver(app: TestApp, payload: unknown) {
  expect((await app.deliver(payload)).status).toBe(200);
}

async function syncOf(app: TestApp, b: Business) {
  const res = await app.graphql(SYNC, { w: b.wabaId });
  expect(res.errors).toBeUndefined();
  return res.data.waba.phoneNumbers.find((n: any) => n.phoneNumberId === b.phoneNumberId).historySync;
}

async function checkAt(app: TestApp, b: Business, at: Date) {
  const pubsub = await createHubPubSub();
  try {
    const stalled = await withDb(app.databaseUrl, (db) => checkStalls(db, pubsub, at, POLICY));
    return stalled.filter((s) => s.phoneNumberId === b.phoneNumberId);
  } finally {
    await pubsub.close();
  }
}

const minutesAfter = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * MINUTE_MS);

describe("a history sync's stall", () => {
  it("comes 60 minutes after Meta accepted the request when no chunk came, once across checks; the next chunk clears it", async () => {
    const fake = await fakeGraph();
    const app = await startApp({ graph: { ...TEST_GRAPH, apiUrl: fake.url, token: GRAPH_TOKEN } });
    const b = business();
    await deliver(app, partnerAdded(b.wabaId, now() - 60));
    await deliver(app, inbound(b, `wamid.in.${randomBytes(6).toString("hex")}`, user(), now() - 5, "Olá!"));
    const started = await app.graphql(`mutation ($p: String!) { startSync(phoneNumberId: $p, kind: HISTORY) { historyRequestedAt stalled } }`, {
      p: b.phoneNumberId,
    });
    expect(started.errors).toBeUndefined();
    const requestedAt: string = started.data.startSync.historyRequestedAt;
    expect(started.data.startSync.stalled).toBe(false);

    expect(await checkAt(app, b, minutesAfter(requestedAt, 59))).toEqual([]);
    expect(await checkAt(app, b, minutesAfter(requestedAt, 60))).toEqual([
      { kind: "HISTORY_SYNC", wabaId: b.wabaId, phoneNumberId: b.phoneNumberId, disconnectionId: null },
    ]);
    expect(await checkAt(app, b, minutesAfter(requestedAt, 90))).toEqual([]);
    expect(await syncOf(app, b)).toMatchObject({ status: "NOT_STARTED", stalled: true, stalledAt: minutesAfter(requestedAt, 60).toISOString() });

    await deliver(app, historyChunkOf(b, 0, 1, 40, [{ wamid: "wamid.hist.stall.1", user: user(), outbound: false, at: now() - 3600, body: "oi" }]));
    expect(await syncOf(app, b)).toMatchObject({ status: "IN_PROGRESS", stalled: false, stalledAt: null });
    await app.stop();
  });

  it("counts the silence from the last chunk of a sync that is sending, and never comes once it is complete", async () => {
    const app = await startApp();
    const b = business();
    const chunk = (order: number, progress: number) =>
      historyChunkOf(b, 0, order, progress, [{ wamid: `wamid.hist.stall.${order}`, user: user(), outbound: false, at: now() - 3600, body: "oi" }]);
    const before = new Date();
    await deliver(app, chunk(1, 40));
    const after = new Date();
    expect(await checkAt(app, b, new Date(before.getTime() + 59 * MINUTE_MS))).toEqual([]);
    expect(await checkAt(app, b, new Date(after.getTime() + 61 * MINUTE_MS))).toHaveLength(1);
    const stalled = await syncOf(app, b);
    expect(stalled).toMatchObject({ status: "IN_PROGRESS", stalled: true });
    expect(Date.parse(stalled.stalledAt)).toBeGreaterThanOrEqual(before.getTime() + 60 * MINUTE_MS - 1000);
    expect(Date.parse(stalled.stalledAt)).toBeLessThanOrEqual(after.getTime() + 60 * MINUTE_MS);

    await deliver(app, chunk(2, 100));
    expect(await checkAt(app, b, new Date(Date.now() + 24 * 60 * MINUTE_MS))).toEqual([]);
    expect(await syncOf(app, b)).toMatchObject({ status: "COMPLETE", stalled: false, stalledAt: null });
    await app.stop();
  });

  it("is announced on the historySyncProgress subscription by the server's own watch", async () => {
    // A stall after 30 ms of silence, checked every 50 ms: the watch itself records it.
    const app = await startApp({ stalls: { offboardingMinutes: 30, historySyncMinutes: 0.0005, checkIntervalMs: 50 } });
    const b = business();
    const events = await subscribe(wsClient(app.url), `subscription ($p: String!) { historySyncProgress(phoneNumberId: $p) { status stalled } }`, {
      p: b.phoneNumberId,
    });
    await deliver(app, historyChunkOf(b, 0, 1, 40, [{ wamid: "wamid.hist.stall.watch", user: user(), outbound: false, at: now() - 3600, body: "oi" }]));
    await events.waitFor((e) => e.historySyncProgress.stalled === true);
    expect((await syncOf(app, b)).stalled).toBe(true);
    await app.stop();
  });
});
