import { expect } from "vitest";
import { createDb } from "../../src/storage/db.ts";
import { databaseTarget } from "../../src/storage/provider.ts";
import type { TestApp } from "./app.ts";
import { post, signed, type SignedDelivery } from "./metaSender.ts";

/** A delivery whose bytes can never project: a type error inside a known event (stored, FAILED). */
export const NEVER_PROJECTS = {
  object: "whatsapp_business_account",
  entry: [{ id: "700", time: 2000, changes: [{ field: "account_update", value: { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: 3 } } }] }],
};

/** Delivers a payload and returns the id the hub gave the stored delivery, checking its outcome. */
export async function deliverStored(app: TestApp, payload: unknown, outcome: "PROCESSED" | "FAILED"): Promise<string> {
  const res = await app.deliver(payload);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { outcome: string; deliveryId: string };
  expect(body.outcome).toBe(outcome);
  return body.deliveryId;
}

/**
 * Leaves a delivery FAILED as a storage error during its projection would (the write failed, the
 * bytes are kept): the case a replay fixes. Done on the app's database directly, since no request
 * can make the database fail on cue.
 */
export async function markFailedByStorage(app: TestApp, deliveryId: string, error = "projection failed: database is locked"): Promise<void> {
  const storage = await createDb(databaseTarget(app.databaseUrl));
  try {
    await storage.prisma.webhookDelivery.update({ where: { id: deliveryId }, data: { status: "FAILED", error, processedAt: null } });
  } finally {
    await storage.close();
  }
}

const isSigned = (d: unknown): d is SignedDelivery => typeof d === "object" && d !== null && "body" in d && Buffer.isBuffer(d.body) && "hash" in d;

/**
 * Delivers each payload (signed like Meta; or as signed already) in turn, checking each is
 * answered 200 with PROCESSED, or ALREADY_PROCESSED for bytes delivered before.
 */
export async function deliverAll(app: Pick<TestApp, "url">, deliveries: readonly unknown[]): Promise<void> {
  for (const d of deliveries) {
    const answer = await post(app.url, isSigned(d) ? d : signed(d));
    expect(answer.status).toBe(200);
    expect(["PROCESSED", "ALREADY_PROCESSED"]).toContain(answer.json?.outcome);
  }
}
