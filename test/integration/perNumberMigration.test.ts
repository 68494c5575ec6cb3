import { describe, expect, it } from "vitest";
import { TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { databaseMigratedUpTo, runSql } from "../helpers/database.ts";

/** The last migration before account events named their number (20261129183422_per_number_signals). */
const BEFORE_PER_NUMBER = "20261129150900_contact_identities";
const WABA = "102290129340398";
/** Meta's coexistence PARTNER_REMOVED (test/fixtures/account_update/partner_removed_with_phone_number.json), as stored before. */
const RAW = '{"phone_number":"15550783881","event":"PARTNER_REMOVED"}';
const AT = TEST_PROVIDER === "postgresql" ? "'2025-02-10 18:37:04'" : "'2025-02-10T18:37:04.000+00:00'";

describe("migration to per-number signals", () => {
  it("gives events stored before the number they name, and the WABA is re-derived with it at its next event", async () => {
    const database = await databaseMigratedUpTo(BEFORE_PER_NUMBER);
    for (const sql of [
      `INSERT INTO "WebhookDelivery" ("id", "contentHash", "body", "signature", "signatureScheme", "status") VALUES ('d-1', 'h-1', '{}', 'sha256=x', 'RAW', 'PROCESSED')`,
      `INSERT INTO "Waba" ("wabaId", "connectionState", "updatedAt") VALUES ('${WABA}', 'DISCONNECTED', ${AT})`,
      `INSERT INTO "AccountEvent" ("id", "wabaId", "event", "family", "occurredAt", "entryId", "deliveryId", "raw", "details") VALUES ('e-1', '${WABA}', 'PARTNER_REMOVED', 'PARTNER', ${AT}, '${WABA}', 'd-1', '${RAW}', '{}')`,
      `INSERT INTO "Disconnection" ("id", "wabaId", "kind", "occurredAt", "recommendedAction", "updatedAt") VALUES ('e-1', '${WABA}', 'PARTNER_REMOVED', ${AT}, 'CONFIRM_WITH_BUSINESS', ${AT})`,
    ])
      await runSql(database.url, sql);

    const app = await startApp({ databaseUrl: database.url });
    const query = `{ waba(wabaId: "${WABA}") { connectionState disconnections { id phoneNumber resolvedAt } events(first: 5) { edges { node { id phoneNumber } } } } }`;
    const migrated = (await app.graphql(query)).data.waba;
    expect(migrated.disconnections).toEqual([{ id: "e-1", phoneNumber: "15550783881", resolvedAt: null }]);
    expect(migrated.events.edges).toEqual([{ node: { id: "e-1", phoneNumber: "15550783881" } }]);

    // Any later event of the WABA re-derives it: the removal was the number's, not the WABA's.
    const later = {
      object: "whatsapp_business_account",
      entry: [
        { id: WABA, time: 1_739_300_000, changes: [{ field: "account_update", value: { event: "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE", country: "BR" } }] },
      ],
    };
    expect((await app.deliver(later)).status).toBe(200);
    expect((await app.graphql(query)).data.waba.connectionState).toBe("CONNECTED");
  });
});
