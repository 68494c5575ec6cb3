import { readEnvelope } from "../webhooks/envelope.ts";
import { parseChanges, type ParsedDelivery } from "../webhooks/fields/index.ts";
import type { Db } from "../storage/db.ts";
import type { HubPubSub } from "../pubsub.ts";
import { applyAccountEvents, type AccountChanges } from "./accountUpdates.ts";
import { applyMirrorEvents, type MirrorChanges } from "./threadMirror.ts";
import { markFailed } from "./deliveries.ts";
import { retryOnConflict } from "./retry.ts";
import { lockKeys, providerOf } from "../storage/locks.ts";

export type ProcessOutcome =
  | { outcome: "PROCESSED"; accountEvents: number; disconnections: number; messages: number; unhandledFields: string[] }
  | { outcome: "ALREADY_PROCESSED" }
  | { outcome: "FAILED"; error: string };

/**
 * Projects a stored delivery in one transaction and publishes what changed once it is committed.
 * A payload that cannot be projected marks the delivery FAILED (kept for replay); a storage
 * failure is thrown, since the caller must then tell Meta to retry.
 */
export async function processDelivery(db: Db, pubsub: HubPubSub, deliveryId: string): Promise<ProcessOutcome> {
  const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
  if (delivery.status === "PROCESSED") return { outcome: "ALREADY_PROCESSED" };

  let parsed: ParsedDelivery;
  try {
    parsed = parseChanges(readEnvelope(JSON.parse(delivery.body)), delivery.receivedAt);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markFailed(db, deliveryId, message);
    return { outcome: "FAILED", error: message };
  }

  const provider = providerOf(db);
  let changes: (AccountChanges & MirrorChanges) | null;
  try {
    changes = await retryOnConflict(() =>
      db.$transaction(
      async (tx) => {
        await lockKeys(tx, provider, [
          `delivery:${deliveryId}`,
          ...parsed.accountEvents.map((e) => `waba:${e.wabaId}`),
          ...parsed.mirrorEvents.map((e) => `phone:${e.business.phoneNumberId}`),
        ]);
        // Checked again inside the transaction: another instance may have projected it meanwhile.
        const current = await tx.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { status: true } });
        if (current.status === "PROCESSED") return null;
        const account = await applyAccountEvents(tx, deliveryId, parsed.accountEvents);
        const mirror = await applyMirrorEvents(tx, parsed.mirrorEvents);
        await tx.webhookDelivery.update({
          where: { id: deliveryId },
          data: { status: "PROCESSED", error: null, processedAt: new Date(), attempts: { increment: 1 } },
        });
        return { ...account, ...mirror };
      },
      // A large history chunk is thousands of rows, so Prisma's 5 s default timeout would cut it off.
      { timeout: 60_000, maxWait: 30_000 },
    ));
  } catch (error) {
    const message = `projection failed: ${error instanceof Error ? error.message : String(error)}`;
    // If even this write fails, storage is down and the error reaches the caller (503).
    await markFailed(db, deliveryId, message);
    return { outcome: "FAILED", error: message };
  }

  if (!changes) return { outcome: "ALREADY_PROCESSED" };
  for (const payload of changes.accountEvents) pubsub.publish("accountEvent", payload);
  for (const payload of changes.disconnections) pubsub.publish("disconnection", payload);
  for (const payload of changes.messages) pubsub.publish("message", payload);
  for (const payload of changes.historySyncs) pubsub.publish("historySync", payload);
  return {
    outcome: "PROCESSED",
    accountEvents: changes.accountEvents.length,
    disconnections: changes.disconnections.length,
    messages: changes.messages.length,
    unhandledFields: parsed.unhandledFields,
  };
}
