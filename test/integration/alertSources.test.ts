/**
 * Where alerts come from (docs/alerts.md, "Events"): each from a committed change heard on the
 * hub's topics, the stall topic included, or from the periodic sync-deadline check; who may see
 * them (admin tokens only); and that several instances sharing one database post each once.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addAlertTarget, type NewAlertTarget } from "../../src/alerts/targets.ts";
import { createHubPubSub } from "../../src/pubsub.ts";
import { startApp, TEST_ALERTS, TEST_PROVIDER, type TestApp } from "../helpers/app.ts";
import { alertReceiver, type AlertReceiver } from "../helpers/alertReceiver.ts";
import { runSql, withDb } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { graphqlAnswer } from "../helpers/graphql.ts";
import { NEVER_PROJECTS } from "../helpers/deliveries.ts";
import { fixture } from "../helpers/meta.ts";
import { echoText, inboundText, partnerAdded, partnerRemoved, PHONE_ID, WABA } from "../helpers/mirror.ts";
import { teardown } from "../helpers/teardown.ts";
import { makeToken } from "../helpers/tokens.ts";

const REDIS = "redis://127.0.0.1:6379";
const now = () => Math.floor(Date.now() / 1000);
const addTarget = (app: TestApp, target: NewAlertTarget) => withDb(app.databaseUrl, (db) => addAlertTarget(db, target, undefined));
const bodies = (r: AlertReceiver) => r.received.map((a) => JSON.parse(a.body));

describe("alert events", () => {
  it("disconnection.resolved follows disconnection.opened when the partner is added back", async () => {
    const app = await startApp();
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: ["disconnection.opened", "disconnection.resolved"], format: "JSON" });

    await app.deliver(partnerRemoved("940000000000001", now() - 120));
    await eventually(
      async () => receiver.received.length,
      (n) => n === 1,
      "the opening",
    );
    await app.deliver(partnerAdded("940000000000001", now() - 60));
    await eventually(
      async () => receiver.received.length,
      (n) => n === 2,
      "the resolution",
    );

    const [opened, resolved] = bodies(receiver);
    expect(opened).toMatchObject({ type: "disconnection.opened", data: { resolvedAt: null } });
    expect(resolved).toMatchObject({ type: "disconnection.resolved", data: { disconnectionId: opened.data.disconnectionId } });
    expect(resolved.data.resolvedAt).not.toBeNull();
  });

  it("offboarding.stalled comes from the stall topic, once per disconnection however often it is published", async () => {
    const prefix = `test-${randomBytes(6).toString("hex")}`;
    const app = await startApp({ redisUrl: REDIS, redisChannelPrefix: prefix });
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: ["offboarding.stalled"], format: "JSON" });
    const pubsub = await createHubPubSub({ redisUrl: REDIS, channelPrefix: prefix });
    teardown(() => pubsub.close());

    const stall = { kind: "OFFBOARDING", wabaId: "940000000000002", phoneNumberId: "950000000000002", disconnectionId: "disc-1" } as const;
    // Published again until heard (the app's Redis subscription may not be live yet): each repeat is the same stall.
    await eventually(
      async () => {
        pubsub.publish("stall", stall);
        return receiver.received.length;
      },
      (n) => n >= 1,
      "the stall alert",
    );
    // A second stalled offboarding is alerted too: the first one's duplicate would have arrived before it.
    pubsub.publish("stall", { ...stall, disconnectionId: "disc-2" });
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 2,
      "the second stall alert",
    );
    await eventually(
      () => runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "AlertAttempt" WHERE "state" = 'PENDING'`),
      (r) => Number(r[0]!.n) === 0,
      "nothing pending",
    );

    expect(bodies(receiver).map((b) => [b.type, b.data.disconnectionId])).toEqual([
      ["offboarding.stalled", "disc-1"],
      ["offboarding.stalled", "disc-2"],
    ]);
  });

  it("template.paused, template.disabled, account_alert.opened and delivery.failed come from Meta's fields and failed deliveries; an approved template or a closed alert is none", async () => {
    const app = await startApp();
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: ["template.paused", "template.disabled", "account_alert.opened", "delivery.failed"], format: "JSON" });

    for (const name of [
      "message_template_status_update/paused_second_pause",
      "message_template_status_update/disabled",
      "message_template_status_update/approved",
      "account_alerts/profile_picture_lost",
      "account_alerts/oba_approved_dashboard_sample",
    ])
      expect((await app.deliver(fixture(name))).status).toBe(200);
    const failed = await app.deliver(NEVER_PROJECTS);
    const { deliveryId } = (await failed.json()) as { deliveryId: string };
    await eventually(
      async () => receiver.received.length,
      (n) => n === 4,
      "four alerts",
    );

    const byType = Object.fromEntries(bodies(receiver).map((b) => [b.type, b]));
    expect(Object.keys(byType).sort()).toEqual(["account_alert.opened", "delivery.failed", "template.disabled", "template.paused"]);
    expect(byType["template.paused"].data).toMatchObject({ status: "PAUSED" });
    expect(byType["template.disabled"].data).toMatchObject({ status: "DISABLED" });
    expect(byType["account_alert.opened"].data).toMatchObject({ alertType: "PROFILE_PICTURE_LOST", severity: "CRITICAL" });
    expect(byType["delivery.failed"].data).toMatchObject({ deliveryId, status: "FAILED" });
    const events = await runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "AlertEvent"`);
    expect(Number(events[0]!.n)).toBe(4);
  });

  it("inactivity.critical is posted when a number's app has been silent for 13 days", async () => {
    const app = await startApp({ inactivity: { warnDays: 10, criticalDays: 12, disconnectDays: 14, checkIntervalMs: 50 } });
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: ["inactivity.warn", "inactivity.critical"], format: "JSON" });

    await app.deliver(echoText("wamid.alert.idle", "5511940000009", now() - 13 * 86400, "before the holidays"));
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      "the inactivity alert",
    );
    expect(bodies(receiver)[0]).toMatchObject({ type: "inactivity.critical", wabaId: WABA, data: { phoneNumberId: PHONE_ID, level: "CRITICAL" } });
  });

  it("history_sync.deadline_approaching warns of a number's syncs not requested within the lead time of the 24-hour deadline", async () => {
    // A lead of 24 hours: a number first seen now is within it at once.
    const app = await startApp({ alerts: { ...TEST_ALERTS, syncDeadlineMinutes: 1440, checkIntervalMs: 100 } });
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: ["history_sync.deadline_approaching"], format: "JSON" });

    await app.deliver(inboundText("wamid.deadline.1", "5511940000001", now() - 10, "olá"));
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      "the deadline warning",
    );

    const [warning] = bodies(receiver);
    expect(warning).toMatchObject({
      type: "history_sync.deadline_approaching",
      wabaId: WABA,
      data: { phoneNumberId: PHONE_ID, notRequested: "CONTACTS,HISTORY" },
    });
    expect(Date.parse(warning.data.deadlineAt) - Date.parse(warning.data.onboardedAt)).toBe(24 * 3600_000);
    // Checked every 100 ms, stored once: no second warning for the same onboarding.
    const events = await runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "AlertEvent"`);
    expect(Number(events[0]!.n)).toBe(1);
  });
});

describe("alerts in GraphQL", () => {
  it("are refused to a token without the admin power over all WABAs, for reading and for replay", async () => {
    const app = await startApp();
    const receiver = await alertReceiver();
    await addTarget(app, { url: receiver.url, events: "*", format: "JSON", name: "ops" });
    await app.deliver(partnerRemoved("940000000000003", now() - 60));
    await eventually(
      async () => receiver.received.length,
      (n) => n === 1,
      "the alert",
    );
    const admin = await app.graphql(`{ alertTargets { name url format events } alertAttempts(first: 5) { edges { node { id state } } } }`);
    expect(admin.errors).toBeUndefined();
    expect(admin.data.alertTargets).toEqual([{ name: "ops", url: receiver.url, format: "JSON", events: ["*"] }]);
    const attemptId = admin.data.alertAttempts.edges[0].node.id;

    const read = await makeToken(app.databaseUrl, { name: "reader", wabaIds: "ALL", scope: "read" });
    const send = await makeToken(app.databaseUrl, { name: "sender", wabaIds: "ALL", scope: "send" });
    // An admin of some WABAs would read the others' alerts: refused too.
    const adminOfOne = await makeToken(app.databaseUrl, { name: "admin-one", wabaIds: ["940000000000003"], scope: "admin" });
    for (const token of [read, send, adminOfOne]) {
      for (const [query, variables] of [
        [`{ alertTargets { id } }`, {}],
        [`{ alertAttempts(first: 5) { edges { node { id } } } }`, {}],
        [`mutation ($id: ID!) { replayAlert(attemptId: $id) { id } }`, { id: attemptId }],
      ] as const) {
        const r = await graphqlAnswer(app.url, query, variables, { token });
        expect(r.body.errors?.[0]?.extensions?.code, query).toBe("FORBIDDEN");
      }
    }
    const ops = await makeToken(app.databaseUrl, { name: "ops", wabaIds: "ALL", scope: "admin" });
    const asOps = await graphqlAnswer(app.url, `{ alertTargets { name } }`, {}, { token: ops });
    expect(asOps.body.data).toEqual({ alertTargets: [{ name: "ops" }] });
    // Nothing was replayed.
    const attempts = await runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "AlertAttempt"`);
    expect(Number(attempts[0]!.n)).toBe(1);
  });
});

// Several instances share PostgreSQL (and Redis, so each hears every event); SQLite has one.
describe.runIf(TEST_PROVIDER === "postgresql")("two instances sharing one database and Redis", () => {
  it("post each event once per target, whichever instance committed it", async () => {
    const prefix = `test-${randomBytes(6).toString("hex")}`;
    const a = await startApp({ redisUrl: REDIS, redisChannelPrefix: prefix });
    const b = await startApp({ redisUrl: REDIS, redisChannelPrefix: prefix, databaseUrl: a.databaseUrl });
    const [one, two] = [await alertReceiver(), await alertReceiver()];
    await addTarget(a, { url: one.url, events: "*", format: "JSON" });
    await addTarget(a, { url: two.url, events: "*", format: "JSON" });

    const wabas = ["940000000000011", "940000000000012", "940000000000013", "940000000000014"];
    await Promise.all(wabas.map((w, i) => (i % 2 ? b : a).deliver(partnerRemoved(w, now() - 60))));
    await eventually(
      () => runSql<{ state: string; n: number | string }>(a.databaseUrl, `SELECT "state", count(*) AS n FROM "AlertAttempt" GROUP BY "state"`),
      (rows) => rows.length === 1 && rows[0]!.state === "DELIVERED" && Number(rows[0]!.n) === wabas.length * 2,
      "every attempt DELIVERED",
    );
    // Every attempt is final: no instance can post any of them again.
    for (const receiver of [one, two]) {
      expect(
        bodies(receiver)
          .map((x) => x.wabaId)
          .sort(),
      ).toEqual(wabas);
    }
  });
});
