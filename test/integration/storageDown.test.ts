import Database from "better-sqlite3";
import pg from "pg";
import { expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";
import { databaseTarget } from "../../src/storage/provider.ts";

/** Another process holding the write lock: to the server, storage is unavailable until released. */
async function holdWriteLock(databaseUrl: string): Promise<() => Promise<void>> {
  const target = databaseTarget(databaseUrl);
  if (target.provider === "sqlite") {
    const other = new Database(target.file);
    other.exec("BEGIN EXCLUSIVE");
    return async () => {
      other.exec("ROLLBACK");
      other.close();
    };
  }
  const client = new pg.Client({ connectionString: target.connectionString });
  await client.connect();
  await client.query(`SET search_path = "${target.schema}"`);
  await client.query("BEGIN");
  // EXCLUSIVE blocks every write and lets reads through, like SQLite's lock above.
  await client.query('LOCK TABLE "WebhookDelivery" IN EXCLUSIVE MODE');
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

it(`answers 503 while the database cannot be written, keeps nothing half-written, and resumes by itself (${TEST_PROVIDER})`, async () => {
  const app = await startApp({ dbBusyTimeoutMs: 200 });
  const count = async () => (await app.graphql("{ webhookDeliveries { totalCount } }")).data.webhookDeliveries.totalCount;
  expect((await app.deliver(fixture("account_update/account_violation_adult"))).status).toBe(200);

  const release = await holdWriteLock(app.databaseUrl);
  const payload = fixture("account_update/account_offboarded");
  const res = await app.deliver(payload);
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(await res.json()).toEqual({ code: "SERVICE_UNAVAILABLE", error: "storage unavailable; retry later" });
  await release();

  expect(await count()).toBe(1);
  // Meta's retry of the same delivery now goes through, once.
  expect((await app.deliver(payload)).status).toBe(200);
  expect(await count()).toBe(2);
  const waba = await app.graphql('{ waba(wabaId: "862475293675413") { connectionState } }');
  expect(waba.data.waba.connectionState).toBe("OFFBOARDED");
});
