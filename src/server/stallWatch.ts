import type { Logger } from "pino";
import type { StallPolicy } from "../domain/stalls.ts";
import { checkHistorySyncStalls } from "../ingest/historySyncStalls.ts";
import { checkOffboardingStalls } from "../ingest/offboardingStalls.ts";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { startPeriodic, type Periodic } from "../periodic.ts";

export interface StallWatchOptions extends StallPolicy {
  intervalMs: number;
}

/**
 * Both stall checks at `now` (a check whose minutes are 0 is off): what each recorded and published
 * (the watch's one step, called directly by tests).
 */
export async function checkStalls(db: Db, pubsub: HubPubSub, now: Date, policy: StallPolicy): Promise<TopicEvent<"stall">[]> {
  return [
    ...(policy.offboardingMinutes > 0 ? await checkOffboardingStalls(db, pubsub, now, policy) : []),
    ...(policy.historySyncMinutes > 0 ? await checkHistorySyncStalls(db, pubsub, now, policy) : []),
  ];
}

/**
 * Checks for stalls on start, every `intervalMs`, and as soon as a disconnection opens: an
 * ACCOUNT_OFFBOARDED delivered late can be past its stall time on arrival (Meta's time decides), and
 * is then recorded stalled right after its commit, not at the next interval.
 */
export function startStallWatch(db: Db, pubsub: HubPubSub, options: StallWatchOptions, log: Logger): Periodic {
  const periodic = startPeriodic(
    "checking stalls",
    options.intervalMs,
    async () => {
      for (const s of await checkStalls(db, pubsub, new Date(), options)) log.info(s, "stall recorded");
    },
    log,
  );
  const opened = pubsub.subscribe("disconnection");
  const listening = (async () => {
    for await (const e of opened) if (e.change === "OPENED") periodic.trigger();
  })().catch((err: unknown) => log.warn({ err }, "stall watch stopped listening for disconnections; the interval still checks"));
  return {
    trigger: () => periodic.trigger(),
    async stop() {
      await opened.return?.();
      await listening;
      await periodic.stop();
    },
  };
}
