import type { Storage } from "../storage/db.ts";
import type { HubPubSub } from "../pubsub.ts";
import { processDelivery, type ProjectOptions } from "./projectDeliveries.ts";
import type { ProcessOutcome } from "./projection.ts";

/** What replaying one delivery did (MISSING: no delivery has the id); `before` is its status beforehand. */
export interface ReplayResult {
  id: string;
  before: string | null;
  result: ProcessOutcome | { outcome: "MISSING" };
}

/**
 * Projects stored deliveries again, one by one in the order given (each once), from the bytes the
 * hub kept: the `hub replay` command and the `replayDeliveries` mutation. A PROCESSED delivery is
 * left as it is, unless `options.again` (see ProjectOptions); a storage error on one is reported with it and the others are still replayed.
 * Changes are published on `pubsub` after each commit, like a delivery that just arrived.
 */
export async function replayDeliveries(
  storage: Storage,
  pubsub: HubPubSub,
  ids: readonly string[],
  onResult: (result: ReplayResult) => void = () => {},
  options: ProjectOptions = {},
): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const id of new Set(ids)) {
    const stored = await storage.prisma.webhookDelivery.findUnique({ where: { id }, select: { status: true } });
    const result: ReplayResult = stored
      ? { id, before: stored.status, result: await guarded(() => processDelivery(storage, pubsub, id, options)) }
      : { id, before: null, result: { outcome: "MISSING" } };
    if (stored) pubsub.publish("delivery", { id, outcome: result.result.outcome });
    onResult(result);
    results.push(result);
  }
  return results;
}

async function guarded(run: () => Promise<ProcessOutcome>): Promise<ProcessOutcome> {
  try {
    return await run();
  } catch (error) {
    return { outcome: "FAILED", error: `not replayed, storage error: ${error instanceof Error ? error.message : String(error)}` };
  }
}
