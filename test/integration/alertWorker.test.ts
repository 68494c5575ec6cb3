/** The alert worker's housekeeping and fairness: a backlog of one target, and old attempts pruned. */
import { describe, expect, it } from "vitest";
import { recordAlert } from "../../src/alerts/record.ts";
import { addAlertTarget, type NewAlertTarget } from "../../src/alerts/targets.ts";
import { templateAlert } from "../../src/domain/alertEvents.ts";
import { createDb } from "../../src/storage/db.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import { startApp, TEST_ALERTS, type TestApp } from "../helpers/app.ts";
import { alertReceiver } from "../helpers/alertReceiver.ts";
import { runSql, withDb } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { partnerRemoved as removedAt } from "../helpers/mirror.ts";

const partnerRemoved = (wabaId: string) => removedAt(wabaId, Math.floor(Date.now() / 1000) - 60);
const addTarget = (app: TestApp, target: NewAlertTarget) => withDb(app.databaseUrl, (db) => addAlertTarget(db, target, undefined));

describe("a target with a backlog", () => {
  it("larger than one pass of the worker, hanging, does not hide another target's attempt", async () => {
    const app = await startApp({ alerts: { ...TEST_ALERTS, timeoutMs: 60_000, targetConcurrency: 1 } });
    const hanging = await alertReceiver({ kind: "hanging" });
    const healthy = await alertReceiver();
    await addTarget(app, { url: hanging.url, events: ["template.paused"], format: "JSON" });
    await addTarget(app, { url: healthy.url, events: ["disconnection.opened"], format: "JSON" });

    // 150 older events for the hanging target (a pass reads 100 due attempts), then one for the healthy one.
    const storage = await createDb(databaseTarget(app.databaseUrl));
    try {
      for (let i = 0; i < 150; i++) {
        const fact = templateAlert({
          id: `w|template:${i}`,
          wabaId: "w",
          name: `t${i}`,
          language: "en",
          status: "PAUSED",
          reason: null,
          changedAt: new Date(i),
        });
        await recordAlert(storage, fact!, 60_000);
      }
    } finally {
      await storage.close();
    }
    await eventually(
      async () => hanging.open,
      (n) => n === 1,
      "the hanging target holding its one slot",
    );
    await app.deliver(partnerRemoved("930000000000009"));
    await eventually(
      async () => healthy.received.length,
      (n) => n === 1,
      "the healthy target's alert",
    );
    expect(hanging.open).toBe(1);
  });
});

describe("old alerts", () => {
  it("are pruned after ALERT_RETENTION_DAYS once delivered; a pending attempt, and the event it posts, are kept", async () => {
    // Retention 0, checked every 100 ms: a delivered attempt goes at the next check.
    const app = await startApp({ alerts: { ...TEST_ALERTS, retentionDays: 0, checkIntervalMs: 100, timeoutMs: 60_000 } });
    const healthy = await alertReceiver();
    const hanging = await alertReceiver({ kind: "hanging" });
    await addTarget(app, { url: healthy.url, events: "*", format: "JSON" });
    const { target: stuck } = await addTarget(app, { url: hanging.url, events: "*", format: "JSON" });

    await app.deliver(partnerRemoved("930000000000008"));
    await eventually(
      async () => healthy.received.length,
      (n) => n === 1,
      "the delivered alert",
    );
    const left = await eventually(
      () => runSql<{ targetId: string; state: string }>(app.databaseUrl, `SELECT "targetId", "state" FROM "AlertAttempt"`),
      (rows) => rows.length === 1,
      "the delivered attempt pruned",
    );
    expect(left).toEqual([{ targetId: stuck.id, state: "PENDING" }]);
    // Its event stays while the pending attempt refers to it.
    expect(await runSql(app.databaseUrl, `SELECT "type" FROM "AlertEvent"`)).toEqual([{ type: "disconnection.opened" }]);
  });
});
