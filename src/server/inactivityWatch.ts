import type { Logger } from "pino";
import type { InactivityPolicy } from "../domain/inactivity.ts";
import { checkInactivity } from "../ingest/inactivity.ts";
import type { HubPubSub } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { startPeriodic, type Periodic } from "../periodic.ts";

export type InactivityWatch = Periodic;

/** Checks the numbers' inactivity levels on start and then every `intervalMs` (checkInactivity). */
export function startInactivityWatch(db: Db, pubsub: HubPubSub, options: InactivityPolicy & { intervalMs: number }, log: Logger): InactivityWatch {
  return startPeriodic(
    "checking inactivity levels",
    options.intervalMs,
    async () => {
      const changed = await checkInactivity(db, pubsub, new Date(), options);
      for (const c of changed) log.info(c, "inactivity level changed");
    },
    log,
  );
}
