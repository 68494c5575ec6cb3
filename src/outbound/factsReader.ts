import { windowMatters, type SendFacts } from "../domain/sendGate.ts";
import { perSecond, type Limit } from "../domain/sendPace.ts";
import type { Tx } from "../storage/client.ts";
import { findOpenerSince, onboardedAt, ratePerSecondOf, readNumberFacts, type SendingNumber } from "./facts.ts";

/**
 * The gate's facts for many sends read in one transaction (a pass of the queue), each fact read
 * once: the number, its WABA's state and open disconnections, its rate, the WABA's onboarding,
 * a thread's window opener. Before, every send re-read all of them (five to nine queries each).
 * Only for the transaction it was made in: a later one must read again (a disconnection may have opened).
 */
export interface SendFactsReader {
  number(phoneNumberId: string): Promise<SendingNumber>;
  numberFacts(number: SendingNumber): Promise<Pick<SendFacts, "waba" | "open">>;
  /** The facts for a send (its window read only when it can matter, see windowMatters). */
  facts(number: SendingNumber, threadId: string | null, send: { isTemplate: boolean; now: Date }): Promise<SendFacts>;
  /** The number's pace (its rate, with the margin of src/domain/sendPace.ts). */
  limit(phoneNumberId: string): Promise<Limit>;
}

export function sendFactsReader(db: Tx, rates: { ratePerSecond: number; coexistenceRatePerSecond: number }): SendFactsReader {
  // Queries run one after the other (callers await each): on a transaction they share one connection.
  const once = <T>(cache: Map<string, T>, key: string, read: () => T): T => {
    let value = cache.get(key);
    if (value === undefined) {
      value = read();
      cache.set(key, value);
    }
    return value;
  };
  const numbers = new Map<string, Promise<SendingNumber>>();
  const numberFacts = new Map<string, Promise<Pick<SendFacts, "waba" | "open">>>();
  const onboarded = new Map<string, Promise<Date | null>>();
  const openers = new Map<string, Promise<Date | null>>();
  const limits = new Map<string, Promise<Limit>>();
  const reader: SendFactsReader = {
    number: (id) => once(numbers, id, () => db.phoneNumber.findUniqueOrThrow({ where: { phoneNumberId: id } })),
    numberFacts: (number) => once(numberFacts, number.phoneNumberId, () => readNumberFacts(db, number)),
    async facts(number, threadId, send) {
      const facts = await reader.numberFacts(number);
      if (!threadId || !windowMatters(facts, send.isTemplate, send.now)) return { ...facts, lastOpenerAt: null };
      const since = await once(onboarded, number.wabaId, () => onboardedAt(db, number.wabaId));
      const lastOpenerAt = await once(openers, threadId, async () => (await findOpenerSince(db, threadId, since))?.timestamp ?? null);
      return { ...facts, lastOpenerAt };
    },
    limit: (id) => once(limits, id, async () => perSecond(await ratePerSecondOf(db, id, rates))),
  };
  return reader;
}
