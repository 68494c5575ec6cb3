import { z } from "zod";
import { invalidConfiguration, positiveInt, type EnvOf } from "./values.ts";

/** Operators' signals the hub raises itself (docs/account-signals.md). */
export const signalsEnv = {
  INACTIVITY_WARN_DAYS: z.coerce.number().positive().default(10),
  INACTIVITY_CRITICAL_DAYS: z.coerce.number().positive().default(12),
  INACTIVITY_DISCONNECT_DAYS: z.coerce.number().positive().default(14),
  INACTIVITY_CHECK_INTERVAL_MS: positiveInt(60_000),
  // Stalls (src/domain/stalls.ts): at most a week, so a typo cannot push the warning out of sight; 0
  // switches that check off (a deployment replaying old deliveries, where every offboarding is long past).
  OFFBOARDING_STALL_MINUTES: z.coerce.number().min(0).max(10_080).default(30),
  HISTORY_SYNC_STALL_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
  STALL_CHECK_INTERVAL_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
};

type SignalsEnv = EnvOf<typeof signalsEnv>;

export function checkSignals(e: SignalsEnv): void {
  if (!(e.INACTIVITY_WARN_DAYS < e.INACTIVITY_CRITICAL_DAYS && e.INACTIVITY_CRITICAL_DAYS < e.INACTIVITY_DISCONNECT_DAYS)) {
    throw invalidConfiguration(
      `expected INACTIVITY_WARN_DAYS < INACTIVITY_CRITICAL_DAYS < INACTIVITY_DISCONNECT_DAYS, got ${e.INACTIVITY_WARN_DAYS}, ${e.INACTIVITY_CRITICAL_DAYS}, ${e.INACTIVITY_DISCONNECT_DAYS}`,
    );
  }
}

export function signalsConfig(e: SignalsEnv) {
  return {
    /**
     * Early warning before Meta disconnects a coexistence number whose app was not opened for about 14
     * days (src/domain/inactivity.ts): the levels' thresholds in days, and how often levels are checked.
     */
    inactivity: {
      warnDays: e.INACTIVITY_WARN_DAYS,
      criticalDays: e.INACTIVITY_CRITICAL_DAYS,
      disconnectDays: e.INACTIVITY_DISCONNECT_DAYS,
      checkIntervalMs: e.INACTIVITY_CHECK_INTERVAL_MS,
    },
    /**
     * Stalls (src/domain/stalls.ts): minutes after Meta's time of an unanswered ACCOUNT_OFFBOARDED, and of
     * a started history sync's silence, before each is recorded stalled; how often they are checked.
     */
    stalls: {
      offboardingMinutes: e.OFFBOARDING_STALL_MINUTES,
      historySyncMinutes: e.HISTORY_SYNC_STALL_MINUTES,
      checkIntervalMs: e.STALL_CHECK_INTERVAL_MS,
    },
  };
}
