import type { Storage } from "../storage/db.ts";
import { lockKeys } from "../storage/locks.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { ParsedDelivery } from "../webhooks/fields/index.ts";
import {
  PIECE_EVENTS,
  TRANSACTION_OPTIONS,
  eventCount,
  errorText,
  lockKeysOf,
  processedOutcome,
  projectInTransaction,
  publish,
  type ProcessOutcome,
  type StoredDelivery,
} from "./projection.ts";
import { parseDelivery } from "../webhooks/parseDelivery.ts";
import { retryOnConflict } from "./retry.ts";
import { projectInPieces } from "./projectInPieces.ts";

/**
 * Projects stored deliveries, one at a time, each in its own transaction (a large one in pieces,
 * see projectInPieces.ts): the path for replays, for large deliveries and for the deliveries of a
 * batch whose shared transaction failed, so that one bad payload fails alone. A payload that cannot be parsed or projected is marked FAILED (kept for replay);
 * a storage failure is thrown, since the caller must then tell Meta to retry.
 */
export async function projectDeliveries(
  storage: Storage,
  pubsub: HubPubSub,
  deliveries: readonly StoredDelivery[],
  options: ProjectOptions = {},
): Promise<Map<string, ProcessOutcome>> {
  const done = (status: string | undefined) => status === "PROCESSED" && !options.again;
  const outcomes = new Map<string, ProcessOutcome>();
  for (const delivery of deliveries) {
    let parsed: ParsedDelivery;
    try {
      parsed = delivery.parsed ?? parseDelivery(delivery.body, delivery.receivedAt, delivery.changes);
    } catch (error) {
      outcomes.set(delivery.id, await markFailed(storage, delivery.id, errorText(error)));
      continue;
    }
    if (eventCount(parsed) > PIECE_EVENTS) {
      // Too large for one transaction (it would hold the event loop): in pieces, unless projected meanwhile.
      const current = await storage.prisma.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { status: true } });
      const outcome = done(current?.status) ? { outcome: "ALREADY_PROCESSED" as const } : await projectInPieces(storage, pubsub, delivery, undefined, parsed);
      outcomes.set(delivery.id, outcome.outcome === "FAILED" ? await markFailed(storage, delivery.id, outcome.error) : outcome);
      continue;
    }
    try {
      const changes = await retryOnConflict(() =>
        storage.writeTransaction(async (tx, sql) => {
          await lockKeys(sql, lockKeysOf([delivery.contentHash], [parsed]));
          // Another instance (or an earlier retry) may have projected it meanwhile.
          const current = await tx.webhookDelivery.findUnique({ where: { id: delivery.id }, select: { status: true } });
          if (done(current?.status)) return null;
          return projectInTransaction(tx, sql, [{ delivery, parsed }]);
        }, TRANSACTION_OPTIONS),
      );
      if (changes) publish(pubsub, changes);
      outcomes.set(delivery.id, changes ? processedOutcome(parsed) : { outcome: "ALREADY_PROCESSED" });
    } catch (error) {
      // The database refused something in it: project it piece by piece so that only what it
      // refuses fails. If storage is down, that throws and the error reaches the caller (503).
      const outcome = await projectInPieces(storage, pubsub, delivery, error);
      outcomes.set(delivery.id, outcome.outcome === "FAILED" ? await markFailed(storage, delivery.id, outcome.error) : outcome);
    }
  }
  return outcomes;
}

async function markFailed(storage: Storage, id: string, error: string): Promise<ProcessOutcome> {
  await storage.prisma.webhookDelivery.update({ where: { id }, data: { status: "FAILED", error, attempts: { increment: 1 } } });
  return { outcome: "FAILED", error };
}

export interface ProjectOptions {
  /**
   * Project a PROCESSED delivery again too: for fields a parser now reads that an earlier version
   * stored and acknowledged without projecting anything (`hub replay --field`). Safe because every
   * write of a projection is idempotent: what was applied stays as it is.
   */
  again?: boolean;
}

/** Projects one stored delivery (replay, and Meta's retries of a delivery not yet projected). */
export async function processDelivery(storage: Storage, pubsub: HubPubSub, deliveryId: string, options: ProjectOptions = {}): Promise<ProcessOutcome> {
  const delivery = await storage.prisma.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { id: true, contentHash: true, body: true, receivedAt: true, status: true },
  });
  if (delivery.status === "PROCESSED" && !options.again) return { outcome: "ALREADY_PROCESSED" };
  return (await projectDeliveries(storage, pubsub, [delivery], options)).get(deliveryId)!;
}
