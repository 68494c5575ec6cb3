import type { Logger } from "pino";
import type { AlertFact } from "../domain/alertEvents.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { approachingDeadlines } from "./deadlines.ts";
import { startPeriodic, type Periodic } from "../periodic.ts";
import { pruneAlerts } from "./prune.ts";
import { recordAlert } from "./record.ts";
import { replayAlert } from "./replay.ts";
import type { AlertSettings } from "./settings.ts";
import { listenForAlerts, type AlertSources } from "./sources.ts";
import { startAlertWorker, type AlertWorker } from "./worker.ts";

/** Alerts out (docs/alerts.md): events heard after commit, stored once, posted by each instance's worker. */
export interface Alerts {
  /** A new attempt of an attempt's event to its target, or of an event to its targets; wakes the worker. */
  replay(id: string): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}

export function createAlerts(storage: Storage, pubsub: HubPubSub, settings: AlertSettings, key: Buffer | undefined, log: Logger): Alerts {
  const retryMaxMs = settings.retryMaxMinutes * 60_000;
  let worker: AlertWorker | undefined;
  let sources: AlertSources | undefined;
  let chores: Periodic[] = [];
  const record = async (fact: AlertFact) => {
    if ((await recordAlert(storage, fact, retryMaxMs)) > 0) worker?.nudge();
  };
  return {
    async replay(id) {
      const made = await replayAlert(storage, id, retryMaxMs);
      worker?.nudge();
      return made;
    },
    start() {
      if (worker) return;
      worker = startAlertWorker(storage.prisma, settings, key, log);
      sources = listenForAlerts(storage.prisma, pubsub, record, log);
      const db = storage.prisma;
      const leadMs = settings.syncDeadlineMinutes * 60_000;
      chores = [
        // Each instance checks; the event's key makes it one alert.
        startPeriodic(
          "checking sync deadlines for alerts",
          settings.checkIntervalMs,
          async () => {
            for (const fact of await approachingDeadlines(db, new Date(), leadMs)) await record(fact);
          },
          log,
        ),
        startPeriodic(
          "pruning old alerts",
          settings.checkIntervalMs,
          async () => {
            const pruned = await pruneAlerts(db, new Date(Date.now() - settings.retentionDays * 86_400_000));
            if (pruned.attempts || pruned.events) log.info(pruned, "old alert attempts and events pruned");
          },
          log,
        ),
      ];
    },
    async stop() {
      await Promise.all(chores.map((c) => c.stop()));
      chores = [];
      await sources?.stop();
      await worker?.stop();
      worker = undefined;
    },
  };
}
