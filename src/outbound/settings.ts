import type { Limit } from "../domain/sendPace.ts";

/** How the queue works, from the configuration (src/env.ts `send`, `graph.timeoutMs`). */
export interface QueueSettings {
  rates: { ratePerSecond: number; coexistenceRatePerSecond: number };
  /** Meta's pair limit: about one message per 6 s to one user, short bursts allowed. */
  pair: Limit;
  holdMaxMinutes: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** A send is reserved this long before its slot (the worker then waits for the slot). */
  horizonMs: number;
  /** Most sends reserved per pass, and most this instance holds reserved and not yet posted. */
  batch: number;
  /** How long a reservation or a SENDING row is an instance's: the Graph timeout and a margin. */
  leaseMs: number;
  pollIntervalMs: number;
  /** Posts of one number awaiting Meta's answer at once (SEND_IN_FLIGHT_PER_NUMBER). */
  inFlightPerNumber: number;
  /**
   * Sends of one number whose turns come within this long of the first's are committed SENDING in one
   * transaction with it, then posted at their turns. Short, so a crash leaves UNKNOWN only sends that
   * were going out anyway; a number slower than one send per this long is committed one send at a time.
   */
  batchWindowMs: number;
}
