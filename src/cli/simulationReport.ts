import type { SendResult } from "./sender.ts";

/** What a simulation run did, summed over its deliveries. */
export interface Tally {
  sent: number;
  accepted: number;
  failed: number;
  /** The hub's outcome for accepted deliveries: PROCESSED, ALREADY_PROCESSED or FAILED. */
  outcomes: Map<string, number>;
  /** Distinct errors of rejected deliveries, with how often each occurred. */
  errors: Map<string, number>;
}

export function emptyTally(): Tally {
  return { sent: 0, accepted: 0, failed: 0, outcomes: new Map(), errors: new Map() };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export function record(tally: Tally, result: SendResult): void {
  tally.sent++;
  if (result.accepted) {
    tally.accepted++;
    bump(tally.outcomes, result.outcome);
  } else {
    tally.failed++;
    bump(tally.errors, `${result.status === null ? "no answer" : `HTTP ${result.status}`}: ${result.error}`);
  }
}

/** A delivery the hub took but could not project is a broken sample or a hub bug: the run fails. */
export function succeeded(tally: Tally): boolean {
  return tally.failed === 0 && !tally.outcomes.has("FAILED");
}

export function describeOutcomes(tally: Tally): string {
  if (tally.outcomes.size === 0) return "";
  return ` (${[...tally.outcomes].map(([outcome, n]) => `${outcome} ${n}`).join(", ")})`;
}

export function formatSummary(tally: Tally, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? tally.sent / seconds : 0;
  const lines = [
    `sent ${tally.sent}, accepted ${tally.accepted}${describeOutcomes(tally)}, failed ${tally.failed}, ` +
      `elapsed ${seconds.toFixed(2)} s, ${rate.toFixed(1)} deliveries/s`,
  ];
  for (const [error, n] of tally.errors) lines.push(`  ${n} × ${error}`);
  if (tally.outcomes.has("FAILED")) {
    lines.push("  the hub stored some deliveries but could not project them: see `webhookDeliveries(status: FAILED)` or `hub replay --failed`");
  }
  return lines.join("\n");
}
