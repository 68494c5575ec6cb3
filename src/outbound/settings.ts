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
  /** Most sends reserved per pass. */
  batch: number;
  /** How long a reservation or a SENDING row is an instance's: the Graph timeout and a margin. */
  leaseMs: number;
  pollIntervalMs: number;
}
