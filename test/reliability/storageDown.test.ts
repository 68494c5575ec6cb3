/**
 * PostgreSQL going away under load, for real, and coming back (PostgreSQL only).
 *
 * The app gets a database of its own on the shared server, so the outage touches nothing else:
 * `ALTER DATABASE … ALLOW_CONNECTIONS false` refuses new connections (superusers included) and
 * `pg_terminate_backend` cuts the ones the app holds, in the middle of whatever they were doing.
 * `ALLOW_CONNECTIONS true` ends the outage; the app is never restarted.
 *
 * Asserted, precisely:
 *  - during the outage a delivery is answered 503 with Retry-After (not a hang, not a crash) and
 *    leaves no row; GraphQL answers in time with a clear error (503 with Retry-After, data null,
 *    "database unavailable; retry later" with code SERVICE_UNAVAILABLE, not the masked
 *    "Unexpected error."); /readyz says the database is unreachable; /healthz still answers;
 *  - once the database accepts connections again, deliveries are answered 200 without any
 *    restart, and GraphQL answers data;
 *  - nothing half-written remains: the deliveries Meta kept retrying through the outage are all
 *    stored once and PROCESSED (none RECEIVED or FAILED), and the final state equals that of
 *    the same deliveries sent in order to a database that never went away.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { fixture } from "../helpers/meta.ts";
import { API_TOKEN, startApp, TEST_PROVIDER } from "../helpers/app.ts";
import { readDeliveries, readFinalState } from "../helpers/finalState.ts";
import { gql } from "../helpers/graphql.ts";
import { MetaSender, post, signed } from "../helpers/metaSender.ts";
import { accountUpdate, type Business, echo, inbound, statusOf } from "../helpers/mirror.ts";
import { Signal } from "../helpers/signal.ts";

const ADMIN_URL = process.env.TEST_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432/test";
const W = "970000000000001";
const B: Business = { wabaId: W, phoneNumberId: "970000000000002", display: "15550004444" };
const USER = "5511900000401";
const T = 1_757_000_000;

async function admin<T = unknown>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A database of the test's own on the shared server, dropped afterwards whatever happened. */
async function ownDatabase(): Promise<{ name: string; url: string }> {
  const name = `reliability_down_${randomBytes(5).toString("hex")}`;
  await admin(`CREATE DATABASE "${name}"`);
  onTestFinished(async () => {
    await admin(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  url.searchParams.set("schema", "hub");
  return { name, url: url.toString() };
}

function workload() {
  const list = [];
  for (let k = 0; k < 40; k++) list.push(accountUpdate(W, T + k * 60, { event: k % 2 ? "ACCOUNT_RECONNECTED" : "ACCOUNT_OFFBOARDED" }));
  for (let k = 0; k < 80; k++) list.push(inbound(B, `wamid.down.in.${k}`, USER, T + k * 10, `mensagem ${k}`));
  for (let k = 0; k < 20; k++) {
    list.push(echo(B, `wamid.down.out.${k}`, USER, T + k * 10 + 5, `resposta ${k}`));
    list.push(statusOf(B, `wamid.down.out.${k}`, USER, T + k * 10 + 6, "delivered"));
  }
  return list.map((p) => signed(p));
}

describe.skipIf(TEST_PROVIDER !== "postgresql")(`the database going away and coming back (${TEST_PROVIDER})`, () => {
  it("503 and clear errors while it is gone, nothing half-written, service resumes by itself", { timeout: 120_000 }, async () => {
    const deliveries = workload();
    const database = await ownDatabase();
    const app = await startApp({ databaseUrl: database.url, dbBusyTimeoutMs: 2_000 });

    // Meta streams deliveries; the database goes away once a third of them are in.
    const progress = new Signal();
    const sender = new MetaSender({
      target: () => app.url,
      giveUpAfterMs: 90_000,
      onAcknowledged: () => progress.notify(),
      onFailedAttempt: () => progress.notify(),
    });
    const streaming = sender.sendAll(deliveries, 8);
    let streamFailed: Error | null = null;
    streaming.catch((error: Error) => {
      streamFailed = error;
      progress.notify();
    });
    await progress.until(() => streamFailed ?? sender.acknowledged >= deliveries.length / 3, 60_000, "a third of the stream");

    await admin(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`);
    const cut = await admin<{ pid: number }>(`SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = '${database.name}'`);
    expect(cut.length).toBeGreaterThan(0);

    // Gone: a new delivery is refused with 503 and Retry-After, in time.
    const probe = signed(fixture("account_update/account_violation_adult"));
    const refused = await post(app.url, probe, {}, 20_000);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.json).toEqual({ code: "SERVICE_UNAVAILABLE", error: "storage unavailable; retry later" });

    // GraphQL answers in time, no data, and says why: the client should retry, as Meta does.
    const query = await fetch(`${app.url}/graphql`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify({ query: "{ webhookDeliveries { totalCount } }" }),
      signal: AbortSignal.timeout(20_000),
    });
    const answer = (await query.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
    expect(query.status).toBe(503);
    expect(query.headers.get("retry-after")).toBe("5");
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors).toEqual([expect.objectContaining({ message: "database unavailable; retry later", extensions: { code: "SERVICE_UNAVAILABLE" } })]);

    const ready = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(20_000) });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toMatch(/^unreachable/);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    // Meta's retries meet the outage too.
    await progress.until(() => streamFailed ?? (sender.failuresByReason.get("status 503") ?? 0) > 0, 30_000, "a delivery of the stream answered 503");

    // Back: the app reconnects by itself.
    await admin(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`);
    // GraphQL answers again (vi.waitFor retries while the query throws).
    await vi.waitFor(() => gql(app.url, "{ webhookDeliveries { totalCount } }"), { timeout: 30_000, interval: 200 });
    // The refused probe left nothing behind; Meta's retry of it now goes through, once.
    expect((await readDeliveries(app.url)).map((d) => d.contentHash)).not.toContain(probe.hash);
    expect((await post(app.url, probe)).json?.outcome).toBe("PROCESSED");

    const results = await streaming;
    expect(results.filter((r) => r.outcome !== "PROCESSED" && r.outcome !== "ALREADY_PROCESSED")).toEqual([]);
    expect(sender.failedAttempts).toBeGreaterThan(0);

    // Nothing half-written: every delivery stored once and projected, the same state as without the outage.
    const stored = await readDeliveries(app.url);
    expect(stored.map((d) => d.contentHash).sort()).toEqual([...deliveries.map((d) => d.hash), probe.hash].sort());
    const actual = await readFinalState(app.url, { phoneNumberIds: [B.phoneNumberId] });
    expect(actual.deliveries).toEqual({ total: deliveries.length + 1, RECEIVED: 0, PROCESSED: deliveries.length + 1, PARTIAL: 0, FAILED: 0 });

    const reference = await startApp();
    for (const d of [...deliveries, probe]) expect((await post(reference.url, d)).json?.outcome).toBe("PROCESSED");
    expect(actual).toEqual(await readFinalState(reference.url, { phoneNumberIds: [B.phoneNumberId] }));
  });
});
