import type { Logger } from "pino";
import type { AlertFact } from "../domain/alertEvents.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import { startDeadlineWatch, type DeadlineWatch } from "./deadlineWatch.ts";
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
  let deadlines: DeadlineWatch | undefined;
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
      deadlines = startDeadlineWatch(storage.prisma, { leadMs: settings.syncDeadlineMinutes * 60_000, intervalMs: settings.checkIntervalMs }, record, log);
    },
    async stop() {
      await deadlines?.stop();
      await sources?.stop();
      await worker?.stop();
      worker = undefined;
    },
  };
}
