import type { Logger } from "pino";

export interface Periodic {
  /** Stops the timer and waits for the run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `task` now and every `intervalMs`, one run at a time, on an unref'd timer; a failed run is
 * logged and tried again at the next interval.
 */
export function every(intervalMs: number, task: () => Promise<void>, what: string, log: Logger): Periodic {
  let running: Promise<void> = Promise.resolve();
  const run = async () => {
    try {
      await task();
    } catch (err) {
      log.warn({ err }, `${what} failed; tried again at the next interval`);
    }
  };
  const tick = () => {
    running = running.then(run);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
