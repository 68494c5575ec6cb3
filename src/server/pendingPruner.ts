import type { Logger } from "pino";
import type { Db } from "../storage/client.ts";
import { prunePendingUpdates, type PendingUpdateRetention } from "../ingest/prunePendingUpdates.ts";
import { startPeriodic, type Periodic } from "../periodic.ts";

export interface PendingPrunerOptions extends PendingUpdateRetention {
  intervalMs: number;
}

/** stop() waits for the batch in progress; the rest of a backlog is left for the next run. */
export type PendingPruner = Periodic;

/**
 * Prunes expired pending updates on start and then every `intervalMs`: batch after batch while
 * batches come back full, so a backlog goes in one run without one unbounded statement.
 */
export function startPendingPruner(db: Db, options: PendingPrunerOptions, log: Logger): PendingPruner {
  return startPeriodic(
    "pruning pending message updates",
    options.intervalMs,
    async (stopping) => {
      let total = 0;
      for (;;) {
        if (stopping.aborted) break;
        const deleted = await prunePendingUpdates(db, options);
        total += deleted;
        if (deleted < options.batch) break;
      }
      if (total) log.info({ pruned: total, maxAgeDays: options.maxAgeDays }, "pending message updates pruned");
    },
    log,
  );
}
