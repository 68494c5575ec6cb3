import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { alertBody } from "../domain/alertBodies.ts";
import type { Db } from "../storage/client.ts";
import { claimAttempt, dueAttempts, settleAttempt, type ClaimedAttempt } from "./claim.ts";
import { postAlert } from "./post.ts";
import type { AlertSettings } from "./settings.ts";
import { alertHeaders } from "./signature.ts";
import { readAlertSecret } from "./targetSecret.ts";

export interface AlertWorker {
  /** Looks for due attempts now (a new event was stored) instead of at the next poll. */
  nudge(): void;
  /** Stops claiming and waits for the posts under way (each ends by its timeout). */
  stop(): Promise<void>;
}

/**
 * Posts due alert attempts, one worker per instance over the shared database. Each post runs on its
 * own (the pass does not wait for it), at most `targetConcurrency` per target: a target that hangs
 * holds only its own slots until ALERT_TIMEOUT_MS, and the others are posted meanwhile.
 */
export function startAlertWorker(db: Db, settings: AlertSettings, key: Buffer | undefined, log: Logger): AlertWorker {
  const owner = randomUUID();
  // Longer than any post can take, so a live instance's attempt is never taken for abandoned.
  const leaseMs = settings.timeoutMs + 5_000;
  const perTarget = new Map<string, number>();
  const posting = new Set<Promise<void>>();
  // Shutdown must not wait ALERT_TIMEOUT_MS for a receiver that hangs (SHUTDOWN_GRACE_MS is shorter).
  const stopping = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const post = async (a: ClaimedAttempt) => {
    const outcome = await (async () => {
      try {
        const body = alertBody(a.target.format, a.event, a.id);
        const headers = alertHeaders(readAlertSecret(key, a.target.secret, a.target.id), body, a.event.type, a.event.id);
        return await postAlert(a.target.url, body, headers, settings.timeoutMs, stopping.signal);
      } catch (error) {
        // The secret could not be opened: recorded as a failed try, retried (the key may be set on a restart).
        return { at: new Date().toISOString(), status: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
      }
    })();
    await settleAttempt(db, a, owner, outcome, settings.retryBaseMs, new Date());
    if (outcome.status === null || outcome.status >= 300) log.info({ attempt: a.id, target: a.target.id, ...outcome }, "alert not delivered");
  };

  const pass = async () => {
    const now = new Date();
    // Targets at their limit are left out of the query, so a backlog of theirs never hides another target's attempts.
    const full = [...perTarget].filter(([, n]) => n >= settings.targetConcurrency).map(([id]) => id);
    for (const { id, targetId } of await dueAttempts(db, now, 100, full)) {
      if (stopped) return;
      const busy = perTarget.get(targetId) ?? 0;
      if (busy >= settings.targetConcurrency) continue;
      const claimed = await claimAttempt(db, id, owner, new Date(), leaseMs);
      if (!claimed) continue;
      perTarget.set(targetId, busy + 1);
      const p = post(claimed)
        .catch((err: unknown) => log.error({ err, attempt: id }, "an alert attempt could not be recorded; its lease will expire"))
        .finally(() => {
          posting.delete(p);
          perTarget.set(targetId, (perTarget.get(targetId) ?? 1) - 1);
          // A slot freed: the target's next due attempt need not wait for the poll.
          schedule(0);
        });
      posting.add(p);
    }
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run() {
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((err: unknown) => log.warn({ err }, "alert pass failed; trying again at the next poll"))
      .finally(() => {
        running = undefined;
        const now = again;
        again = false;
        schedule(now ? 0 : settings.pollIntervalMs);
      });
  }

  schedule(0);
  return {
    nudge: () => schedule(0),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      stopping.abort();
      await Promise.allSettled([...posting]);
    },
  };
}
