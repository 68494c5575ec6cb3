import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as samples from "../../src/cli/samples.ts";
import { APP_SECRET, TEST_PROVIDER, startApp } from "../helpers/app.ts";
import { databaseMigratedUpTo, runStatements } from "../helpers/database.ts";
import { metaBytes, signLikeMeta } from "../helpers/meta.ts";
import { escapeLikeMeta } from "../../src/webhooks/signature.ts";

/** The last migration before deliveries kept the hash of their signed bytes (20261206105658_delivery_signed_hash). */
const BEFORE_SIGNED_HASH = "20261129214500_wabas_listed_from_deliveries";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const BUSINESS = { wabaId: "370000000000001", phoneNumberId: "470000000000001", displayNumber: "15550003701" };

describe(`deliveries stored before signedHash existed (${TEST_PROVIDER})`, () => {
  it("are given theirs at start, so a replay in another spelling or an exact retry of them is ALREADY_PROCESSED", async () => {
    const database = await databaseMigratedUpTo(BEFORE_SIGNED_HASH);
    // As the previous version stored them: contentHash of the raw bytes, nothing else.
    const escaped = metaBytes(
      samples.inboundText(BUSINESS, { wamid: "wamid.old.1", user: "5511900003701", at: 1_760_000_001, body: "déjà vu", profileName: "Zoé" }),
    );
    const raw = metaBytes(samples.inboundText(BUSINESS, { wamid: "wamid.old.2", user: "5511900003701", at: 1_760_000_002, body: "plain", profileName: "Zed" }));
    const insert = 'INSERT INTO "WebhookDelivery" ("id", "contentHash", "body", "signature", "signatureScheme", "status") VALUES (?, ?, ?, ?, ?, ?)';
    await runStatements(database.url, [
      [insert, ["old-escaped", sha256(escaped), escaped.toString("utf8"), signLikeMeta(escaped, APP_SECRET), "ESCAPED_UNICODE", "PROCESSED"]],
      [insert, ["old-raw", sha256(raw), raw.toString("utf8"), signLikeMeta(raw, APP_SECRET), "RAW", "PROCESSED"]],
    ]);

    const app = await startApp({ databaseUrl: database.url });
    const send = async (body: Buffer, signedAs: Buffer) =>
      (await app.post(body, { "X-Hub-Signature-256": signLikeMeta(signedAs, APP_SECRET) })).json() as Promise<{ deliveryId: string; outcome: string }>;
    // Another spelling the same signature verifies: every non-ASCII character as \uXXXX.
    const respelt = (b: Buffer) => escapeLikeMeta(b.toString("utf8"));
    expect(respelt(escaped).equals(escaped)).toBe(false);

    expect(await send(respelt(escaped), escaped)).toEqual({ deliveryId: "old-escaped", outcome: "ALREADY_PROCESSED" });
    expect(await send(escaped, escaped)).toEqual({ deliveryId: "old-escaped", outcome: "ALREADY_PROCESSED" });
    expect(await send(raw, raw)).toEqual({ deliveryId: "old-raw", outcome: "ALREADY_PROCESSED" });
    expect((await app.graphql("{ webhookDeliveries { totalCount } }")).data.webhookDeliveries.totalCount).toBe(2);
  });
});
