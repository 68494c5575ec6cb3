import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { databaseMigratedUpTo, runSql } from "../helpers/database.ts";

/** The last migration before a WABA was listed from its first delivery (20261129214500_wabas_listed_from_deliveries). */
const BEFORE_LISTING = "20261129183422_per_number_signals";
const AT = TEST_PROVIDER === "postgresql" ? "'2025-02-10 18:37:04'" : "'2025-02-10T18:37:04.000+00:00'";

describe("migration listing WABAs from their stored numbers", () => {
  it("lists a WABA that only had numbers, connected, and leaves a WABA its events made as it was", async () => {
    const database = await databaseMigratedUpTo(BEFORE_LISTING);
    for (const sql of [
      `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "createdAt", "updatedAt") VALUES ('pn-a1', '15550000001', 'waba-a', ${AT}, ${AT})`,
      `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "createdAt", "updatedAt") VALUES ('pn-a2', '15550000002', 'waba-a', ${AT}, ${AT})`,
      `INSERT INTO "Waba" ("wabaId", "connectionState", "updatedAt") VALUES ('waba-b', 'DISCONNECTED', ${AT})`,
      `INSERT INTO "PhoneNumber" ("phoneNumberId", "displayPhoneNumber", "wabaId", "createdAt", "updatedAt") VALUES ('pn-b1', '15550000003', 'waba-b', ${AT}, ${AT})`,
    ])
      await runSql(database.url, sql);

    const app = await startApp({ databaseUrl: database.url });
    const res = await app.graphql("{ wabas(first: 10) { edges { node { wabaId connectionState phoneNumbers { phoneNumberId } } } } }");
    expect(res.errors).toBeUndefined();
    expect(res.data.wabas.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { wabaId: "waba-a", connectionState: "CONNECTED", phoneNumbers: [{ phoneNumberId: "pn-a1" }, { phoneNumberId: "pn-a2" }] },
      { wabaId: "waba-b", connectionState: "DISCONNECTED", phoneNumbers: [{ phoneNumberId: "pn-b1" }] },
    ]);
  });
});
