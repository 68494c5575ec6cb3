import type { Logger } from "pino";
import type { InactivityPolicy } from "../domain/inactivity.ts";
import { checkInactivity } from "../ingest/inactivity.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";

export interface InactivityWatch {
  /** Stops the timer and waits for the check in progress. */
  stop(): Promise<void>;
}

/**
 * Checks the numbers' inactivity levels on start and then every `intervalMs` (checkInactivity).
 * The timer is unref'd; a failed check is logged and tried again at the next interval.
 */
export function startInactivityWatch(db: Db, pubsub: HubPubSub, options: InactivityPolicy & { intervalMs: number }, log: Logger): InactivityWatch {
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      const changed = await checkInactivity(db, pubsub, new Date(), options);
      for (const c of changed) log.info(c, "inactivity level changed");
    } catch (err) {
      log.warn({ err }, "checking inactivity levels failed; tried again at the next interval");
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
      clearInterval(timer);
      await running;
    },
  };
}
