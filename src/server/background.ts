import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { startInactivityWatch } from "./inactivityWatch.ts";
import { startPendingPruner } from "./pendingPruner.ts";
import { startStallWatch } from "./stallWatch.ts";

export interface BackgroundWork {
  /** Stops every loop, each after the run it is in. */
  stop(): Promise<void>;
}

/** The server's periodic work (src/periodic.ts): pruning pending updates, inactivity levels, stalls. */
export function startBackgroundWork(db: Db, pubsub: HubPubSub, config: Config, log: Logger): BackgroundWork {
  const { maxAgeDays, pruneIntervalMs, pruneBatch } = config.pendingUpdates;
  const loops = [
    startPendingPruner(db, { maxAgeDays, intervalMs: pruneIntervalMs, batch: pruneBatch }, log),
    startInactivityWatch(db, pubsub, { ...config.inactivity, intervalMs: config.inactivity.checkIntervalMs }, log),
    startStallWatch(db, pubsub, { ...config.stalls, intervalMs: config.stalls.checkIntervalMs }, log),
  ];
  return {
    async stop() {
      for (const loop of loops) await loop.stop();
    },
  };
}
