import type { Logger } from "pino";
import type { Db } from "../storage/client.ts";
import { prunePendingUpdates, type PendingUpdateRetention } from "../ingest/prunePendingUpdates.ts";

export interface PendingPrunerOptions extends PendingUpdateRetention {
  intervalMs: number;
}

export interface PendingPruner {
  /** Stops the timer and waits for the batch in progress; the rest of a backlog is left for the next run. */
  stop(): Promise<void>;
}

/**
 * Prunes expired pending updates on start and then every `intervalMs`: batch after batch while
 * batches come back full, so a backlog goes in one run without one unbounded statement. The timer
 * is unref'd (it never keeps the process alive); a failed run is logged and retried next time.
 */
export function startPendingPruner(db: Db, options: PendingPrunerOptions, log: Logger): PendingPruner {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const run = async () => {
    let total = 0;
    try {
      for (;;) {
        if (stopped) break;
        const deleted = await prunePendingUpdates(db, options);
        total += deleted;
        if (deleted < options.batch) break;
      }
      if (total) log.info({ pruned: total, maxAgeDays: options.maxAgeDays }, "pending message updates pruned");
    } catch (err) {
      log.warn({ err }, "pruning pending message updates failed; retried at the next interval");
    }
  };
  const tick = () => {
    running = running.then(run);
  };

  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
