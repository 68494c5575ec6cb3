import type { Logger } from "pino";
import { accountAlertOpened, deliveryFailed, disconnectionAlert, inactivityAlert, stallAlert, templateAlert, type AlertFact } from "../domain/alertEvents.ts";
import { isDetailsOf } from "../domain/accountSignals.ts";
import { alertOpen } from "../domain/wabaSignals.ts";
import type { HubPubSub, TopicEvent, Topics } from "../pubsub.ts";
import type { Db } from "../storage/client.ts";
import { signalDetailsColumn } from "../storage/columns.ts";

/**
 * What each topic's event is as an alert, if anything. Payloads carry ids (src/pubsub.ts): the row
 * is read again, as the subscription resolvers do, and what the commit did travels in the payload.
 */
type Readers = { [K in keyof Topics]?: (db: Db, e: TopicEvent<K>, now: Date) => Promise<AlertFact | null> };

const readers: Readers = {
  async disconnection(db, e) {
    // A stall is alerted from the stall topic (offboarding.stalled), once.
    if (e.change === "STALLED") return null;
    const d = await db.disconnection.findUnique({ where: { id: e.id } });
    return d && disconnectionAlert(d, e.change);
  },
  async inactivity(db, e, now) {
    const n = await db.phoneNumber.findUnique({ where: { phoneNumberId: e.phoneNumberId }, select: { lastAppActivityAt: true } });
    return n && inactivityAlert({ ...e, lastAppActivityAt: n.lastAppActivityAt }, e.level, now);
  },
  async template(db, e) {
    const t = await db.messageTemplate.findUnique({ where: { id: e.id } });
    return t && templateAlert(t);
  },
  async accountSignal(db, e) {
    if (e.field !== "account_alerts") return null;
    const s = await db.accountSignal.findUnique({ where: { id: e.id } });
    if (!s) return null;
    const d = signalDetailsColumn.read(s.details);
    return isDetailsOf(d, "account_alerts") && alertOpen(d.status) ? accountAlertOpened(s.id, s.wabaId, s.occurredAt, d) : null;
  },
  async delivery(db, e) {
    if (e.outcome !== "FAILED" && e.outcome !== "PARTIAL") return null;
    const d = await db.webhookDelivery.findUnique({ where: { id: e.id }, select: { id: true, status: true, error: true, fields: true, receivedAt: true } });
    return d && deliveryFailed(d);
  },
  async stall(db, e, now) {
    const sync = e.kind === "HISTORY_SYNC" && e.phoneNumberId ? await db.historySync.findUnique({ where: { phoneNumberId: e.phoneNumberId } }) : null;
    return stallAlert(e, sync?.startedAt ?? null, now);
  },
};

export interface AlertSources {
  stop(): Promise<void>;
}

/** Listens to every topic that can make an alert and hands each alert to `record` (off the ingest path: after commit, on its own loop). */
export function listenForAlerts(db: Db, pubsub: HubPubSub, record: (fact: AlertFact) => Promise<void>, log: Logger): AlertSources {
  const iterators: AsyncIterator<unknown>[] = [];
  const loops: Promise<void>[] = [];
  for (const topic of Object.keys(readers) as (keyof Topics)[]) {
    const read = readers[topic] as (db: Db, e: unknown, now: Date) => Promise<AlertFact | null>;
    const events = pubsub.subscribe(topic);
    iterators.push(events);
    loops.push(
      (async () => {
        for await (const event of events) {
          try {
            const fact = await read(db, event, new Date());
            if (fact) await record(fact);
          } catch (err) {
            log.warn({ err, topic }, "an alert could not be recorded");
          }
        }
      })(),
    );
  }
  return {
    async stop() {
      await Promise.allSettled(iterators.map(async (i) => i.return?.()));
      await Promise.allSettled(loops);
    },
  };
}
