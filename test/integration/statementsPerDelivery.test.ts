import { afterAll, beforeAll, describe, expect, it } from "vitest";
// First: the counter wraps the drivers before the app opens its database.
import { statementsOf } from "../helpers/statementCounter.ts";
import { startApp, TEST_ALERTS, TEST_PROVIDER, type TestApp } from "../helpers/app.ts";
import { runSql } from "../helpers/database.ts";
import { echoText, inboundText, PHONE_ID, status, together } from "../helpers/mirror.ts";

// Issue #22: what the hub already knows (the number, its WABA, the contact behind an identifier) is
// remembered, not re-read or re-written. Counted like the bench counts (bench/lib/sqlCounter.ts):
// every statement the driver executes, BEGIN and COMMIT included, one delivery at a time on an idle
// app. On PostgreSQL one more: the transaction's advisory locks (src/storage/locks.ts), which keep
// several instances on one database from interleaving.
const LOCKS = TEST_PROVIDER === "postgresql" ? 1 : 0;

let app: TestApp;
let at = 1_760_000_000;

beforeAll(async () => {
  // The alert worker's poll for due attempts (every 50 ms in tests) is not the delivery's: kept out of the counts.
  app = await startApp({ alerts: { ...TEST_ALERTS, pollIntervalMs: 3_600_000 } });
});
afterAll(() => app.stop());

async function deliverCounted(wamid: string, from: string): Promise<string[]> {
  at += 60; // each message a minute after the last: the number's last activity and the thread's last message move
  return statementsOf(async () => {
    const res = await app.deliver(inboundText(wamid, from, at, `hello ${wamid}`));
    expect(res.status).toBe(200);
  });
}

async function lastWamid(waId: string): Promise<string> {
  const r = await app.graphql(`query ($p: String!, $w: String!) { threadByParticipants(phoneNumberId: $p, waId: $w) { lastMessage { wamid } } }`, {
    p: PHONE_ID,
    w: waId,
  });
  return r.data.threadByParticipants.lastMessage.wamid;
}

describe("statements per messages delivery", () => {
  it("a message from a known user (contact and thread stored) takes at most 6 statements", async () => {
    await deliverCounted("wamid.known-1", "5511900000001");
    await deliverCounted("wamid.known-2", "5511900000001");
    const statements = await deliverCounted("wamid.known-3", "5511900000001");
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(6 + LOCKS);
    expect(await lastWamid("5511900000001")).toBe("wamid.known-3");
  });

  it("a message from a new user takes at most 12 statements", async () => {
    await deliverCounted("wamid.warm-1", "5511900000002");
    const statements = await deliverCounted("wamid.new-1", "5511900000003");
    expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(12 + LOCKS);
    expect(await lastWamid("5511900000003")).toBe("wamid.new-1");
  });

  it("a remembered contact another process changed meanwhile is written as the delivery says, not skipped", async () => {
    await deliverCounted("wamid.stale-1", "5511900000004");
    await deliverCounted("wamid.stale-2", "5511900000004"); // now remembered
    // Another instance (here: a statement from outside) renames the contact after the hub remembered it.
    await runSql(app.databaseUrl, `UPDATE "Contact" SET "profileName" = 'Someone Else' WHERE "waId" = '5511900000004'`);
    await deliverCounted("wamid.stale-3", "5511900000004");
    const r = await app.graphql(
      `query ($p: String!, $w: String!) { threadByParticipants(phoneNumberId: $p, waId: $w) { contact { profileName } lastMessage { wamid } } }`,
      { p: PHONE_ID, w: "5511900000004" },
    );
    expect(r.data.threadByParticipants).toEqual({ contact: { profileName: "Sheena Nelson" }, lastMessage: { wamid: "wamid.stale-3" } });
  });
});

describe("statements per statuses delivery", () => {
  // A status is an UPDATE of its message. On PostgreSQL each statement is a round trip to the server:
  // one per status held a 15,000-status delivery's transaction for minutes (bench/ANALYSIS.md).
  it.runIf(TEST_PROVIDER === "postgresql")(
    "on PostgreSQL, a delivery of 60 statuses updates its messages in a few statements, not one per status",
    async () => {
      const user = "5511900000005";
      const wamids = Array.from({ length: 60 }, (_, i) => `wamid.out-${i}`);
      at += 60;
      const sent = await app.deliver(together(...wamids.map((w, i) => echoText(w, user, at + i, `sent ${i}`))));
      expect(sent.status).toBe(200);
      at += 120;
      // Two kinds of update (read; failed with its error), each message's statuses out of order, and one
      // status about a message not stored yet (kept waiting for it).
      const failedError = [{ code: 131026, title: "Message undeliverable", message: "Message undeliverable", error_data: { details: "x" } }];
      const statuses = wamids.flatMap((w, i) =>
        i < 30 ? [status(w, user, at + 2, "read"), status(w, user, at + 1, "delivered")] : [status(w, user, at + 1, "failed", failedError)],
      );
      const statements = await statementsOf(async () => {
        const res = await app.deliver(together(...statuses, status("wamid.out-later", user, at, "delivered")));
        expect(res.status).toBe(200);
      });
      const updates = statements.filter((s) => s.startsWith("UPDATE"));
      expect(updates.length, statements.join("\n")).toBeLessThanOrEqual(2);
      expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(10);
      const rows = await runSql<{ wamid: string; status: string }>(app.databaseUrl, `SELECT "wamid", "status" FROM "Message" WHERE "wamid" LIKE 'wamid.out-%'`);
      expect(new Map(rows.map((r) => [r.wamid, r.status]))).toEqual(new Map(wamids.map((w, i) => [w, i < 30 ? "READ" : "FAILED"])));
      const pending = await runSql<{ targetWamid: string }>(app.databaseUrl, `SELECT "targetWamid" FROM "PendingMessageUpdate"`);
      expect(pending.map((p) => p.targetWamid)).toEqual(["wamid.out-later"]);
    },
  );
});
