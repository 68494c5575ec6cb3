/** `hub alerts` against a running hub's database: targets added, listed, removed; attempts listed and replayed. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startApp, TEST_ALERTS } from "../helpers/app.ts";
import { alertReceiver, verifiedByReceiver } from "../helpers/alertReceiver.ts";
import { runSql } from "../helpers/database.ts";
import { eventually } from "../helpers/eventually.ts";
import { hubCli } from "../helpers/hubCli.ts";
import { partnerRemoved } from "../helpers/mirror.ts";

const KEY = randomBytes(32);
// Retries end after 600 ms, so an attempt to a failing receiver is FAILED quickly.
const app = await startApp({ alerts: { ...TEST_ALERTS, retryMaxMinutes: 0.01 }, onboarding: { appId: undefined, tokenKey: KEY } });
const hub = hubCli({ DATABASE_URL: app.databaseUrl, BUSINESS_TOKEN_KEY: KEY.toString("base64") });
const now = () => Math.floor(Date.now() / 1000);

describe.sequential("hub alerts", { timeout: 90_000 }, () => {
  it("--help names every event, the formats and an example of each command", async () => {
    const [alerts, add] = await Promise.all([hub(["alerts", "--help"]), hub(["alerts", "add", "--help"])]);
    for (const text of ["disconnection.opened", "history_sync.deadline_approaching", "add", "list", "remove", "attempts", "replay", "Examples:"])
      expect(alerts.stdout).toContain(text);
    for (const text of ["--url", "--events", "--format", "--name", "slack", "X-Hub-Alert-Signature-256", "BUSINESS_TOKEN_KEY"])
      expect(add.stdout).toContain(text);
  });

  it("add refuses an unknown event, a URL that is not http(s) and a name in use, saying why", async () => {
    const [event, url] = await Promise.all([
      hub(["alerts", "add", "--url", "https://example.com/a", "--events", "disconection.opened"]),
      hub(["alerts", "add", "--url", "file:///etc/passwd", "--events", "all"]),
    ]);
    expect([event.code, url.code]).toEqual([1, 1]);
    expect(event.stderr).toContain('unknown event "disconection.opened"');
    expect(url.stderr).toContain("expected an http(s) URL");
    expect(event.stdout + url.stdout).toBe("");
  });

  it("add prints only the secret, sealed at rest under BUSINESS_TOKEN_KEY; the hub signs with it and list never shows it", async () => {
    const receiver = await alertReceiver();
    const run = await hub(["alerts", "add", "--url", receiver.url, "--events", "disconnection.opened", "--name", "ops"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^whsec_[\w-]{32}\n$/);
    expect(run.stderr).toContain("does not show it again");
    const secret = run.stdout.trim();
    const [row] = await runSql<{ secret: string }>(app.databaseUrl, `SELECT "secret" FROM "AlertTarget" WHERE "name" = 'ops'`);
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(secret);

    await app.deliver(partnerRemoved("960000000000001", now() - 60));
    await eventually(
      async () => receiver.received.length,
      (n) => n === 1,
      "the alert",
    );
    expect(verifiedByReceiver(secret, receiver.received[0]!)).toBe(true);

    const again = await hub(["alerts", "add", "--url", receiver.url, "--events", "all", "--name", "ops"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists already");
    const list = await hub(["alerts", "list"]);
    expect(list.stdout).toMatch(/ ops +JSON +disconnection\.opened +http:\/\/127\.0\.0\.1/);
    expect(list.stdout).not.toContain(secret);
    await hub(["alerts", "remove", "ops"]);
  });

  it("attempts --failed lists what gave up; replay of the attempt or of its event posts it again; remove stops a target", async () => {
    const receiver = await alertReceiver({ kind: "failing", times: Number.MAX_SAFE_INTEGER });
    const add = await hub(["alerts", "add", "--url", receiver.url, "--events", "all", "--name", "flaky"]);
    expect(add.code, add.stderr).toBe(0);
    await app.deliver(partnerRemoved("960000000000002", now() - 60));
    // Polled in SQL: a CLI run is a process start.
    await eventually(
      () => runSql<{ n: number | string }>(app.databaseUrl, `SELECT count(*) AS n FROM "AlertAttempt" WHERE "state" = 'FAILED'`),
      (rows) => Number(rows[0]!.n) === 1,
      "a FAILED attempt",
    );
    const failed = JSON.parse((await hub(["alerts", "attempts", "--failed", "--target", "flaky", "--json"])).stdout) as any[];
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ state: "FAILED", eventType: "disconnection.opened", target: "flaky", last: { status: 500 } });
    const table = await hub(["alerts", "attempts", "--failed"]);
    expect(table.stdout).toMatch(new RegExp(`^${failed[0].id} +${failed[0].eventId} +disconnection\\.opened +flaky +FAILED +\\d+ +500 in \\d+ ms`, "m"));

    receiver.answer({ kind: "healthy" });
    const posted = receiver.received.length;
    const [byAttempt, byEvent, unknown] = [
      await hub(["alerts", "replay", failed[0].id]),
      await hub(["alerts", "replay", failed[0].eventId]),
      await hub(["alerts", "replay", "no-such-id"]),
    ];
    expect(byAttempt.code, byAttempt.stderr).toBe(0);
    expect(byEvent.code, byEvent.stderr).toBe(0);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no alert attempt or event no-such-id");
    await eventually(
      async () => receiver.received.length,
      (n) => n === posted + 2,
      "both replays posted",
    );
    const delivered = await runSql<{ n: number | string }>(
      app.databaseUrl,
      `SELECT count(*) AS n FROM "AlertAttempt" WHERE "replayOf" = '${failed[0].id}' AND "state" = 'DELIVERED'`,
    );
    expect(Number(delivered[0]!.n)).toBe(2);

    const remove = await hub(["alerts", "remove", "flaky"]);
    expect(remove.stdout).toContain("removed flaky");
    const [list, missing] = await Promise.all([hub(["alerts", "list"]), hub(["alerts", "remove", "flaky"])]);
    expect(list.stdout).toContain("no alert targets");
    expect(missing.code).toBe(1);
  });
});
