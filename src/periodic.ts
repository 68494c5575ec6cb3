import type { Logger } from "pino";

export interface Periodic {
  /** A run now, after the one in progress, without waiting for the interval (one is queued at most). */
  trigger(): void;
  /** Stops the timer and waits for the run in progress (which sees its signal aborted). */
  stop(): Promise<void>;
}

/**
 * Runs `run` now and then every `intervalMs`, one run at a time (a run that outlasts the interval
 * delays the next, never overlaps it). The timer is unref'd, so it never keeps the process alive; a
 * failed run is logged with `what` and tried again at the next interval. `run` gets a signal aborted
 * by stop(), so a long run (a backlog in batches) can end early.
 */
export function startPeriodic(what: string, intervalMs: number, run: (signal: AbortSignal) => Promise<void>, log: Logger): Periodic {
  const stopping = new AbortController();
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  const once = async () => {
    queued = false;
    if (stopping.signal.aborted) return;
    try {
      await run(stopping.signal);
    } catch (err) {
      log.warn({ err }, `${what} failed; tried again at the next interval`);
    }
  };
  const tick = () => {
    if (queued) return;
    queued = true;
    running = running.then(once);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    trigger: tick,
    async stop() {
      stopping.abort();
      clearInterval(timer);
      await running;
    },
  };
}
