/**
 * Alerts out (docs/alerts.md) against real HTTP receivers on real ports: an event the hub commits
 * becomes one attempt per target, posted signed (or as a Slack body), retried with backoff, given
 * up after ALERT_RETRY_MAX_MINUTES and replayed; a receiver that hangs does not hold up another.
 */
import { describe, expect, it } from "vitest";
import { addAlertTarget, type NewAlertTarget } from "../../src/alerts/targets.ts";
import { startApp, TEST_ALERTS, type TestApp } from "../helpers/app.ts";
import { alertReceiver, verifiedByReceiver } from "../helpers/alertReceiver.ts";
import { partnerRemoved as removedAt } from "../helpers/mirror.ts";
import { withDb } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";

/** PARTNER_REMOVED for a WABA of its own, a minute ago: opens a disconnection. */
const partnerRemoved = (wabaId: string) => removedAt(wabaId, Math.floor(Date.now() / 1000) - 60);

const addTarget = (app: TestApp, target: NewAlertTarget) => withDb(app.databaseUrl, (db) => addAlertTarget(db, target, undefined));

const ATTEMPTS = `query ($t: ID, $f: Boolean) { alertAttempts(first: 50, targetId: $t, failedOnly: $f) { edges { node {
  id state replayOf event { id type key data } target { id name } tries { status error durationMs at } } } } }`;

async function attemptsOf(app: TestApp, targetId: string, failedOnly = false): Promise<any[]> {
  const r = await app.graphql(ATTEMPTS, { t: targetId, f: failedOnly });
  expect(r.errors).toBeUndefined();
  return r.data.alertAttempts.edges.map((e: any) => e.node);
}

describe("an alert target", () => {
  it("receives a disconnection as the signed generic JSON, verifiable with its secret and fresh timestamp", async () => {
    const app = await startApp();
    const receiver = await alertReceiver();
    const { target, secret } = await addTarget(app, { url: receiver.url, events: ["disconnection.opened"], format: "JSON", name: "ops" });

    expect((await app.deliver(partnerRemoved("930000000000001"))).status).toBe(200);
    await eventually(
      async () => receiver.received.length,
      (n) => n === 1,
      "the alert at the receiver",
    );

    const [alert] = receiver.received;
    expect(verifiedByReceiver(secret, alert!)).toBe(true);
    expect(verifiedByReceiver("another secret", alert!)).toBe(false);
    const body = JSON.parse(alert!.body);
    expect(body).toMatchObject({
      type: "disconnection.opened",
      wabaId: "930000000000001",
      data: { kind: "PARTNER_REMOVED", reason: "PRIMARY_INACTIVITY", initiatedBy: "SYSTEM", resolvedAt: null },
    });
    expect(alert!.headers["x-hub-alert-event"]).toBe("disconnection.opened");
    expect(alert!.headers["x-hub-alert-id"]).toBe(body.id);

    const [attempt] = await eventually(
      () => attemptsOf(app, target.id),
      (a) => a[0]?.state === "DELIVERED",
      "the attempt DELIVERED",
    );
    expect(attempt.id).toBe(body.attempt);
    expect(attempt.tries).toEqual([expect.objectContaining({ status: 200, error: null })]);
  });

  it("of the Slack format receives { text, blocks } with the recommended action in the text", async () => {
    const app = await startApp();
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: "*", format: "SLACK" });

    await app.deliver(partnerRemoved("930000000000002"));
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      "the Slack body",
    );

    const body = JSON.parse(receiver.received[0]!.body);
    expect(Object.keys(body).sort()).toEqual(["blocks", "text"]);
    expect(body.text).toMatch(/^Disconnected \(WABA 930000000000002\): PARTNER_REMOVED, PRIMARY_INACTIVITY\. Recommended: /);
    expect(body.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
  });

  it("that does not want an event gets nothing of it, and the event is stored once however often it is heard", async () => {
    const app = await startApp();
    const wanted = await alertReceiver();
    const other = await alertReceiver();
    await addTarget(app, { url: wanted.url, events: ["disconnection.opened"], format: "JSON" });
    const { target } = await addTarget(app, { url: other.url, events: ["template.paused"], format: "JSON" });

    // The same delivery twice: Meta retries; the hub stores it once and its disconnection once.
    const removed = partnerRemoved("930000000000003");
    await app.deliver(removed);
    await app.deliver(removed);
    await eventually(
      async () => wanted.received.length,
      (n) => n === 1,
      "one alert",
    );
    expect(await attemptsOf(app, target.id)).toEqual([]);
    expect(other.received).toEqual([]);
  });
});

describe("a failing receiver", () => {
  it("is retried with growing delays until it answers 2xx, each POST recorded", async () => {
    const app = await startApp({ alerts: { ...TEST_ALERTS, retryBaseMs: 100 } });
    const receiver = await alertReceiver({ kind: "failing", times: 2 });
    const { target } = await addTarget(app, { url: receiver.url, events: "*", format: "JSON" });

    await app.deliver(partnerRemoved("930000000000004"));
    const [attempt] = await eventually(
      () => attemptsOf(app, target.id),
      (a) => a[0]?.state === "DELIVERED",
      "DELIVERED after two 500s",
    );

    expect(attempt.tries.map((t: any) => t.status)).toEqual([500, 500, 200]);
    const starts = attempt.tries.map((t: any) => Date.parse(t.at));
    // Backoff: at least the base delay after the first failure, at least twice it after the second.
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(100);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(200);
    // Every POST carried the same event, re-signed with its own timestamp.
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
  });

  it("is given up after ALERT_RETRY_MAX_MINUTES (FAILED), and a replay from GraphQL posts it again as a new attempt", async () => {
    // 0.01 minutes: 600 ms of retries 50 ms apart, then doubling.
    const app = await startApp({ alerts: { ...TEST_ALERTS, retryMaxMinutes: 0.01 } });
    const receiver = await alertReceiver({ kind: "failing", times: Number.MAX_SAFE_INTEGER });
    const { target } = await addTarget(app, { url: receiver.url, events: "*", format: "JSON" });

    await app.deliver(partnerRemoved("930000000000005"));
    const [failed] = await eventually(
      () => attemptsOf(app, target.id, true),
      (a) => a.length === 1,
      "the attempt FAILED",
    );
    expect(failed.tries.length).toBeGreaterThanOrEqual(1);
    expect(failed.tries.every((t: any) => t.status === 500)).toBe(true);

    receiver.answer({ kind: "healthy" });
    const replay = await app.graphql(`mutation ($id: ID!) { replayAlert(attemptId: $id) { id state replayOf event { id } } }`, { id: failed.id });
    expect(replay.errors).toBeUndefined();
    expect(replay.data.replayAlert).toMatchObject({ replayOf: failed.id, event: { id: failed.event.id } });
    const all = await eventually(
      () => attemptsOf(app, target.id),
      (a) => a.find((x) => x.id === replay.data.replayAlert.id)?.state === "DELIVERED",
      "the replay DELIVERED",
    );
    // The old attempt stays as it ended.
    expect(all.find((x) => x.id === failed.id)).toMatchObject({ state: "FAILED" });
  });

  it("an unknown attempt cannot be replayed", async () => {
    const app = await startApp();
    const r = await app.graphql(`mutation { replayAlert(attemptId: "no-such-attempt") { id } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe("UNKNOWN_ALERT_ATTEMPT");
  });
});

describe("a receiver that hangs", () => {
  it("does not hold up a healthy one, nor the webhook that caused the alert", async () => {
    // A long deadline: the hanging POST is certainly still open when the healthy one is done.
    const app = await startApp({ alerts: { ...TEST_ALERTS, timeoutMs: 60_000 } });
    const hanging = await alertReceiver({ kind: "hanging" });
    const healthy = await alertReceiver();
    const { target: stuck } = await addTarget(app, { url: hanging.url, events: "*", format: "JSON" });
    const { target: fine } = await addTarget(app, { url: healthy.url, events: "*", format: "JSON" });

    expect((await app.deliver(partnerRemoved("930000000000006"))).status).toBe(200);
    await eventually(
      async () => hanging.open,
      (n) => n === 1,
      "the hanging receiver holding a POST",
    );
    // Ingest goes on meanwhile: a second disconnection is answered and reaches the healthy receiver.
    expect((await app.deliver(partnerRemoved("930000000000007"))).status).toBe(200);
    await eventually(
      () => attemptsOf(app, fine.id),
      (a) => a.length === 2 && a.every((x) => x.state === "DELIVERED"),
      "both delivered to the healthy one",
    );

    expect(hanging.open).toBeGreaterThanOrEqual(1);
    const stuckAttempts = await attemptsOf(app, stuck.id);
    expect(stuckAttempts.every((a) => a.state === "PENDING")).toBe(true);
    // Shutdown cuts the hanging POST short instead of waiting out its 60 s deadline (the test's own timeout is 30 s).
    await app.stop();
    await eventually(
      async () => hanging.open,
      (n) => n === 0,
      "the hanging POST cut",
    );
  });
});
