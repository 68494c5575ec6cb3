import Database from "better-sqlite3";
import { expect, it } from "vitest";
import { startApp } from "../helpers/app.ts";
import { fixture } from "../helpers/meta.ts";

it("answers 503 while the database cannot be written, keeps nothing half-written, and resumes by itself", async () => {
  const app = await startApp({ dbBusyTimeoutMs: 200 });
  const count = async () => (await app.graphql("{ webhookDeliveries { totalCount } }")).data.webhookDeliveries.totalCount;
  expect((await app.deliver(fixture("account_update/account_violation_adult"))).status).toBe(200);

  // Another process holding the write lock: to this server, storage is unavailable.
  const other = new Database(app.databaseFile);
  other.exec("BEGIN EXCLUSIVE");
  const payload = fixture("account_update/account_offboarded");
  const res = await app.deliver(payload);
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(await res.json()).toEqual({ error: "storage unavailable; retry later" });
  other.exec("ROLLBACK");
  other.close();

  expect(await count()).toBe(1);
  // Meta's retry of the same delivery now goes through, once.
  expect((await app.deliver(payload)).status).toBe(200);
  expect(await count()).toBe(2);
  const waba = await app.graphql('{ waba(wabaId: "862475293675413") { connectionState } }');
  expect(waba.data.waba.connectionState).toBe("OFFBOARDED");
});
