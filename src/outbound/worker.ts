import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { HubPubSub, TopicEvent } from "../pubsub.ts";
import type { Storage } from "../storage/db.ts";
import type { GraphClient } from "./graphClient.ts";
import { reserve, type Reserved } from "./reserve.ts";
import { markSending, recoverInterrupted, releaseHolds, settle } from "./settle.ts";
import type { QueueSettings } from "./settings.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SendWorker {
  /** Looks at the queue now (after sendMessage stored a send) instead of at the next poll. */
  nudge(): void;
  /** Stops picking work and waits for the posts under way to be settled. */
  stop(): Promise<void>;
}

/**
 * The outbound queue's worker: one per instance, over the database every instance shares. Each
 * pass recovers interrupted sends, releases or fails held ones, reserves due sends with their
 * slots, then posts each at its slot (SENDING committed first) and records Meta's answer.
 */
export function startSendWorker(storage: Storage, pubsub: HubPubSub, graph: GraphClient, settings: QueueSettings, log: Logger): SendWorker {
  const owner = randomUUID();
  const posting = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const publish = (events: readonly TopicEvent<"message">[]) => {
    for (const e of events) pubsub.publish("message", e);
  };

  // A slot is reserved ahead; a post that the database or the event loop held up must not then
  // go out right behind the next one. So this instance also takes the posts of one number in
  // turn, at least the number's spacing apart, and commits SENDING only when a post's turn has
  // come (so only posts really under way are SENDING if the process dies).
  const turns = new Map<string, Promise<unknown>>();
  const lastPostAt = new Map<string, number>();
  const inTurn = <T>(r: Reserved, fn: () => Promise<T>): Promise<T> => {
    const mine = (turns.get(r.phoneNumberId) ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        const at = Math.max(r.slot.getTime(), (lastPostAt.get(r.phoneNumberId) ?? 0) + r.spacingMs);
        if (at > Date.now()) await sleep(at - Date.now());
        try {
          return await fn();
        } finally {
          lastPostAt.set(r.phoneNumberId, Date.now());
        }
      });
    turns.set(r.phoneNumberId, mine);
    return mine;
  };

  const post = async (r: Reserved) => {
    const marked = await inTurn(r, async () => {
      let m = await markSending(storage, r, owner);
      // Another instance's post went out moments ago: wait for the spacing (see markSending).
      while (m.kind === "WAIT" && !stopped) {
        await sleep(Math.max(0, m.at - Date.now()));
        m = await markSending(storage, r, owner);
      }
      return m;
    });
    if (marked.kind !== "SENDING") return;
    publish(marked.events);
    const answer = await graph.post(`${r.phoneNumberId}/messages`, r.request);
    publish(await settle(storage, r, answer, settings));
  };

  const pass = async () => {
    publish(await recoverInterrupted(storage));
    publish(await releaseHolds(storage, settings));
    const { reserved, events } = await reserve(storage, owner, settings);
    publish(events);
    for (const r of reserved) {
      const p = post(r)
        .catch((error: unknown) => log.error({ err: error, send: r.id }, "a send could not be posted or recorded; its lease will expire"))
        .finally(() => posting.delete(p));
      posting.add(p);
    }
    // A full batch: more may be due at once.
    if (reserved.length >= settings.batch) again = true;
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(run, ms);
  };

  function run() {
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => log.warn({ err: error }, "outbound queue pass failed; trying again at the next poll"))
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
      await Promise.allSettled([...posting]);
    },
  };
}
