/**
 * Pacing as a generic cell rate algorithm: one stored time per limit (the "theoretical arrival
 * time", TAT) is all the state, so several instances share a pace by updating one row under a
 * lock. A limit allows `burst` sends at once, then one per `intervalMs`.
 */
export interface Limit {
  intervalMs: number;
  burst: number;
}

/** The earliest moment a send may go under `limit`, given its stored TAT (null: never used). */
export function earliestSlot(tat: Date | null, limit: Limit, now: Date): Date {
  if (tat === null) return now;
  const tolerance = Math.max(0, limit.burst - 1) * limit.intervalMs;
  return new Date(Math.max(now.getTime(), tat.getTime() - tolerance));
}

/** The TAT after a send at `at`. */
export function advance(tat: Date | null, limit: Limit, at: Date): Date {
  return new Date(Math.max(tat?.getTime() ?? 0, at.getTime()) + limit.intervalMs);
}

/**
 * The spacing for a rate per second, with a 10% margin: the limit is counted where the request
 * arrives, and a request held up on its way (a busy event loop after its commit, another instance's
 * post on time) would otherwise land inside the next one's second. 10% leaves 100 ms of such delay
 * in any second at any rate; 5% (50 ms) was exceeded by two instances on one quiet machine.
 */
export function perSecond(rate: number): Limit {
  return { intervalMs: (1000 / rate) * 1.1, burst: 1 };
}

/** The highest rate a number can be set to: Meta's most (1,000 messages per second, after its automatic upgrade). */
export const MAX_RATE_PER_SECOND = 1000;

/** Whether a rate may be stored for a number (setSendRate, `hub numbers rate`). */
export function validRate(rate: number): boolean {
  return Number.isFinite(rate) && rate > 0 && rate <= MAX_RATE_PER_SECOND;
}

/**
 * Which rate applies to a number: its own (setSendRate) when set, else the default; a coexistence
 * number (one a coexistence field named) never above the coexistence rate, which Meta fixes at 20/s
 * whatever the number's own setting.
 */
export function numberRate(isCoexistence: boolean, rates: { ratePerSecond: number; coexistenceRatePerSecond: number }, own: number | null = null): number {
  const rate = own ?? rates.ratePerSecond;
  return isCoexistence ? Math.min(rate, rates.coexistenceRatePerSecond) : rate;
}
