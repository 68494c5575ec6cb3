import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";
import type { Tx } from "../storage/client.ts";
import { plainTransaction, type Storage } from "../storage/db.ts";
import type { Sql } from "../storage/sql.ts";
import type { GraphClient } from "./graphClient.ts";
import { recoverInterrupted, releaseHolds } from "./housekeeping.ts";
import { createLane, type Lane } from "./lane.ts";
import { reserve, type Reserved } from "./reserve.ts";
import { markSending, replanLate } from "./sending.ts";
import { settle, type Answered } from "./settle.ts";
import type { QueueSettings } from "./settings.ts";

/** How long a nudge waits for more sends to reserve with its own. */
const NUDGE_MS = 10;
/** How long Meta's answers wait for a lane's SENDING commit to carry them before they are committed alone. */
const CARRY_MS = 10;

export interface SendWorker {
  /** Looks at the queue now (after sendMessage stored a send) instead of at the next poll. */
  nudge(): void;
  /** Stops picking work and waits for the posts under way to be settled. */
  stop(): Promise<void>;
}

/**
 * The outbound queue's worker: one per instance, over the database every instance shares. Each
 * pass recovers interrupted sends and releases or fails held ones (at most once per poll interval),
 * then reserves due sends with their slots, as many as this instance has room for (a batch). Each
 * number's reserved sends go through its lane (src/outbound/lane.ts: SENDING committed for the sends
 * whose turn has come, posted, several in flight); Meta's answers are recorded together, every
 * answer that came while the previous commit ran in the next one (group commit).
 */
export function startSendWorker(storage: Storage, pubsub: HubPubSub, graph: GraphClient, settings: QueueSettings, log: Logger): SendWorker {
  const owner = randomUUID();
  const lanes = new Map<string, Lane>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let housekeptAt = 0;

  const publish = (events: readonly TopicEvent<"message">[]) => {
    for (const e of events) pubsub.publish("message", e);
  };

  // The worker's commits are plain SQL, run without Prisma's engine (a third of a millisecond of CPU
  // less per commit); an answer that is not an acceptance needs Prisma's client (plainTransaction).
  const commit = <T>(fn: (tx: Tx, sql: Sql) => Promise<T>): Promise<T> => plainTransaction(storage, fn);

  // Group commit of Meta's answers: every answer read in one turn of the event loop goes in one
  // commit, or in the next SENDING commit when a lane makes one first (one fsync for both).
  let answers: Answered[] = [];
  let settling: Promise<void> | undefined;
  /** Marks under way: stop() waits for them too, as they may carry answers. */
  let marking = 0;
  const settleAll = async () => {
    while (answers.length > 0) {
      const batch = answers;
      answers = [];
      try {
        publish(await commit((tx, sql) => settle(tx, sql, batch, settings)));
      } catch (error) {
        log.error({ err: error, sends: batch.map((a) => a.send.id) }, "sends were posted but their answers could not be recorded; their leases will expire");
      }
    }
    settling = undefined;
  };
  const answered = (...a: Answered[]) => {
    answers.push(...a);
    if (settling) return;
    // Not at once: on SQLite a transaction runs to its COMMIT in microtasks, before the next
    // answer's I/O callback, so each answer was committed alone (1,000 commits for 1,000 sends).
    // From the check phase, every answer read in this turn of the loop goes in one commit; and
    // while a lane has sends waiting its next SENDING commit will likely carry them (mark), so
    // they wait for it, up to CARRY_MS, which bounds how long an answer waits in any case.
    const markComing = [...lanes.values()].some((l) => l.waiting > 0);
    settling = new Promise<void>((resolve) => (markComing ? setTimeout(resolve, CARRY_MS) : setImmediate(resolve))).then(settleAll);
  };

  /** SENDING for a lane's sends, with the answers waiting for a commit recorded first in the same one. */
  const mark = async (sends: readonly Reserved[], lastPlanned: number) => {
    const carried = answers;
    answers = [];
    marking++;
    try {
      const { settled, marked } = await commit(async (tx, sql) => ({
        settled: carried.length > 0 ? await settle(tx, sql, carried, settings) : [],
        marked: await markSending(sql, sends, owner, settings.batchWindowMs, lastPlanned),
      }));
      publish(settled);
      publish(marked.events);
      return marked;
    } catch (error) {
      // The answers are recorded on their own, so that a failing mark cannot lose them.
      if (carried.length > 0) answered(...carried);
      throw error;
    } finally {
      marking--;
    }
  };

  const laneOf = (phoneNumberId: string) => {
    let lane = lanes.get(phoneNumberId);
    if (!lane) {
      lane = createLane(
        { inFlight: settings.inFlightPerNumber },
        {
          mark,
          replan: (send, at) =>
            replanLate(storage, send, at).catch((error: unknown) => {
              log.warn({ err: error, send: send.id }, "a late send could not be planned again; it is posted now");
              return Date.now();
            }),
          post: async (send) => answered({ send, answer: await graph.post(`${send.phoneNumberId}/messages`, send.request) }),
          failed: (error, sends) =>
            log.error({ err: error, sends: sends.map((s) => s.id) }, "sends could not be marked SENDING; they are picked again when their leases expire"),
          // Reserve more before the lanes run dry (a pass reads the gates: it takes longer than
          // the posts in flight), not once they have.
          took: () => {
            if (backlog() <= settings.batch / 2) schedule(0);
          },
        },
      );
      lanes.set(phoneNumberId, lane);
    }
    return lane;
  };

  /** Reserved sends this instance holds and has not posted yet. */
  const backlog = () => [...lanes.values()].reduce((n, l) => n + l.waiting, 0);

  const pass = async () => {
    if (Date.now() - housekeptAt >= settings.pollIntervalMs) {
      housekeptAt = Date.now();
      publish(await recoverInterrupted(storage));
      const released = await releaseHolds(storage, settings);
      publish(released.events);
      // A full batch changed (ACCOUNT_RECONNECTED released many): the next ones at once, not at the next poll.
      if (released.changed >= settings.batch) [housekeptAt, again] = [0, true];
    }
    // Reserve no further ahead than a batch: a reservation waiting here holds a lease and a slot.
    const room = settings.batch - backlog();
    if (room <= 0) return;
    const { reserved, events } = await reserve(storage, owner, { ...settings, batch: room });
    publish(events);
    const byNumber = new Map<string, Reserved[]>();
    for (const r of reserved) byNumber.set(r.phoneNumberId, [...(byNumber.get(r.phoneNumberId) ?? []), r]);
    for (const [phoneNumberId, sends] of byNumber) laneOf(phoneNumberId).add(sends);
    // A full batch leaves more due: the lanes ask for them (took) once half the backlog is gone,
    // rather than a pass at once topping it up a few sends at a time, a commit each.
  };

  /** The next pass no later than `ms` from now (a pass due sooner stays due sooner). */
  let timerAt = Infinity;
  const schedule = (ms: number) => {
    if (stopped || Date.now() + ms >= timerAt) return;
    clearTimeout(timer);
    timerAt = Date.now() + ms;
    timer = setTimeout(run, ms);
  };

  let nudged = false;
  function run() {
    timerAt = Infinity;
    if (running) {
      nudged = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => log.warn({ err: error }, "outbound queue pass failed; trying again at the next poll"))
      .finally(() => {
        running = undefined;
        const [more, wanted] = [again, nudged];
        [again, nudged] = [false, false];
        schedule(more ? 0 : wanted ? NUDGE_MS : settings.pollIntervalMs);
      });
  }

  schedule(0);
  return {
    // Not at once: the sends of concurrent sendMessage calls are reserved together, in one pass
    // instead of one write transaction each (they compete with sendMessage's own commits).
    nudge: () => schedule(NUDGE_MS),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const lane of lanes.values()) lane.stop();
      // Posts under way finish and their answers are recorded.
      while ([...lanes.values()].some((l) => l.inFlight > 0) || settling || marking > 0) {
        await (settling ?? new Promise((resolve) => setTimeout(resolve, 10)));
      }
    },
  };
}
