import { readEnvelope, type WebhookChange } from "../webhooks/envelope.ts";
import { parseChanges, type ParsedDelivery } from "../webhooks/fields/index.ts";
import type { Db } from "../storage/db.ts";
import { lockKeys, providerOf } from "../storage/locks.ts";
import type { HubPubSub } from "../pubsub.ts";
import { applyAccountEvents, type AccountChanges } from "./accountUpdates.ts";
import { applyMirrorEvents, type MirrorChanges } from "./threadMirror.ts";
import { retryOnConflict } from "./retry.ts";

export type ProcessOutcome =
  | { outcome: "PROCESSED"; accountEvents: number; disconnections: number; messages: number; unhandledFields: string[] }
  | { outcome: "ALREADY_PROCESSED" }
  | { outcome: "FAILED"; error: string };

/** A stored delivery to project; `changes` saves parsing the body again when the route already did. */
export interface StoredDelivery {
  id: string;
  body: string;
  receivedAt: Date;
  changes?: readonly WebhookChange[] | undefined;
}

interface Parsed {
  delivery: StoredDelivery;
  parsed: ParsedDelivery;
}

/**
 * Projects stored deliveries in ONE transaction and publishes what changed once it is committed
 * (group commit: concurrent deliveries share a transaction instead of one each). A delivery whose
 * payload cannot be parsed is marked FAILED on its own; if the shared transaction fails, each
 * delivery is tried alone so one bad payload cannot fail the others. Storage failures are thrown:
 * the caller must tell Meta to retry.
 */
export async function projectDeliveries(db: Db, pubsub: HubPubSub, deliveries: readonly StoredDelivery[]): Promise<Map<string, ProcessOutcome>> {
  const outcomes = new Map<string, ProcessOutcome>();
  const ready: Parsed[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const delivery of deliveries) {
    try {
      const changes = delivery.changes ?? readEnvelope(JSON.parse(delivery.body));
      ready.push({ delivery, parsed: parseChanges(changes, delivery.receivedAt) });
    } catch (error) {
      failed.push({ id: delivery.id, error: errorText(error) });
    }
  }
  await markFailed(db, failed);
  for (const f of failed) outcomes.set(f.id, { outcome: "FAILED", error: f.error });
  if (ready.length === 0) return outcomes;

  try {
    const result = await projectTogether(db, ready);
    publish(pubsub, result.changes);
    for (const { delivery, parsed } of ready) {
      outcomes.set(
        delivery.id,
        result.skipped.has(delivery.id)
          ? { outcome: "ALREADY_PROCESSED" }
          : {
              outcome: "PROCESSED",
              accountEvents: parsed.accountEvents.length,
              disconnections: result.changes.disconnections.length,
              messages: parsed.mirrorEvents.filter((e) => e.kind === "message").length,
              unhandledFields: parsed.unhandledFields,
            },
      );
    }
    return outcomes;
  } catch (error) {
    if (ready.length > 1) {
      for (const one of ready) {
        for (const [id, outcome] of await projectDeliveries(db, pubsub, [one.delivery])) outcomes.set(id, outcome);
      }
      return outcomes;
    }
    const message = `projection failed: ${errorText(error)}`;
    // If even this write fails, storage is down and the error reaches the caller (503).
    await markFailed(db, [{ id: ready[0]!.delivery.id, error: message }]);
    outcomes.set(ready[0]!.delivery.id, { outcome: "FAILED", error: message });
    return outcomes;
  }
}

async function projectTogether(db: Db, ready: readonly Parsed[]): Promise<{ changes: AccountChanges & MirrorChanges; skipped: Set<string> }> {
  const provider = providerOf(db);
  const ids = ready.map((r) => r.delivery.id);
  return retryOnConflict(() =>
    db.$transaction(
      async (tx) => {
        await lockKeys(tx, provider, [
          ...ids.map((id) => `delivery:${id}`),
          ...ready.flatMap((r) => r.parsed.accountEvents.map((e) => `waba:${e.wabaId}`)),
          ...ready.flatMap((r) => r.parsed.mirrorEvents.map((e) => `phone:${e.business.phoneNumberId}`)),
        ]);
        // Checked inside the transaction: another instance may have projected some meanwhile.
        const skipped = new Set(
          (await tx.webhookDelivery.findMany({ where: { id: { in: ids }, status: "PROCESSED" }, select: { id: true } })).map((d) => d.id),
        );
        const todo = ready.filter((r) => !skipped.has(r.delivery.id));
        const account = await applyAccountEvents(
          tx,
          todo.flatMap((r) => r.parsed.accountEvents.map((e) => ({ ...e, deliveryId: r.delivery.id }))),
        );
        const mirror = await applyMirrorEvents(tx, todo.flatMap((r) => r.parsed.mirrorEvents), provider);
        await tx.webhookDelivery.updateMany({
          where: { id: { in: todo.map((r) => r.delivery.id) } },
          data: { status: "PROCESSED", error: null, processedAt: new Date(), attempts: { increment: 1 } },
        });
        return { changes: { ...account, ...mirror }, skipped };
      },
      // A large history chunk is thousands of rows, so Prisma's 5 s default timeout would cut it off.
      { timeout: 60_000, maxWait: 30_000 },
    ),
  );
}

function publish(pubsub: HubPubSub, changes: AccountChanges & MirrorChanges): void {
  for (const payload of changes.accountEvents) pubsub.publish("accountEvent", payload);
  for (const payload of changes.disconnections) pubsub.publish("disconnection", payload);
  for (const payload of changes.messages) pubsub.publish("message", payload);
  for (const payload of changes.historySyncs) pubsub.publish("historySync", payload);
}

async function markFailed(db: Db, failures: readonly { id: string; error: string }[]): Promise<void> {
  for (const f of failures) {
    await db.webhookDelivery.update({ where: { id: f.id }, data: { status: "FAILED", error: f.error, attempts: { increment: 1 } } });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Projects one stored delivery (replay, and Meta's retries of a delivery not yet projected). */
export async function processDelivery(db: Db, pubsub: HubPubSub, deliveryId: string): Promise<ProcessOutcome> {
  const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId }, select: { id: true, body: true, receivedAt: true, status: true } });
  if (delivery.status === "PROCESSED") return { outcome: "ALREADY_PROCESSED" };
  return (await projectDeliveries(db, pubsub, [delivery])).get(deliveryId)!;
}
