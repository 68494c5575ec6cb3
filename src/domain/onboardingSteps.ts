import { z } from "zod";
import { sendErrorRecord, type SendError } from "./sendError.ts";
import { syncRequested, type SyncAttempt } from "./syncDeadline.ts";

/**
 * What a provider does after a business finished Embedded Signup, in order: exchange the signup's
 * code for the business's token, subscribe the app to the WABA (its webhooks, the syncs' included,
 * come only after), then the contact sync, then the history sync. A step that fails stops the ones
 * after it: a sync before the subscription would send its one-time webhooks nowhere.
 */
export const ONBOARDING_STEPS = ["EXCHANGE_CODE", "SUBSCRIBE_APP", "CONTACTS_SYNC", "HISTORY_SYNC"] as const;
export type OnboardingStepName = (typeof ONBOARDING_STEPS)[number];

/** DONE; FAILED (with Meta's error); PENDING: not tried yet (or tried for an earlier signup); SKIPPED: no code was given. */
export const STEP_STATES = ["DONE", "FAILED", "PENDING", "SKIPPED"] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface OnboardingStep {
  name: OnboardingStepName;
  state: StepState;
  /** When the step was last tried; null while PENDING. */
  at: Date | null;
  error: SendError | null;
}

const stepRecord = z.object({ state: z.enum(STEP_STATES), at: z.string().pipe(z.coerce.date()), error: sendErrorRecord.nullable() });
/** Onboarding.steps: the steps that are not syncs (the syncs are SyncRequest rows). */
export const storedStepsRecord = z.object({ EXCHANGE_CODE: stepRecord.optional(), SUBSCRIBE_APP: stepRecord.optional() });
export type StoredSteps = z.infer<typeof storedStepsRecord>;
export type StoredStep = NonNullable<StoredSteps["EXCHANGE_CODE"]>;

/**
 * The four steps of a number as they stand. A step done before the number's latest onboarding
 * belongs to an earlier signup and is PENDING again (a new signup brings a new code, and Meta
 * opens a new sync window).
 */
export function onboardingSteps(
  stored: StoredSteps,
  syncs: { contacts: SyncAttempt | null; history: SyncAttempt | null },
  onboardedAt: Date,
): OnboardingStep[] {
  const own = (name: "EXCHANGE_CODE" | "SUBSCRIBE_APP"): OnboardingStep => {
    const s = stored[name];
    return !s || s.at < onboardedAt ? { name, state: "PENDING", at: null, error: null } : { name, state: s.state, at: s.at, error: s.error };
  };
  return [
    own("EXCHANGE_CODE"),
    own("SUBSCRIBE_APP"),
    syncStep("CONTACTS_SYNC", syncs.contacts, onboardedAt),
    syncStep("HISTORY_SYNC", syncs.history, onboardedAt),
  ];
}

function syncStep(name: "CONTACTS_SYNC" | "HISTORY_SYNC", attempt: SyncAttempt | null, onboardedAt: Date): OnboardingStep {
  if (!attempt || attempt.attemptedAt < onboardedAt) return { name, state: "PENDING", at: null, error: null };
  // Meta's 2593107 says the sync was requested already: done, the error kept to say so.
  const state = syncRequested(attempt, onboardedAt) ? "DONE" : "FAILED";
  return { name, state, at: attempt.attemptedAt, error: attempt.error };
}

/** Whether onboardBusiness runs the step again: anything not DONE, and an EXCHANGE_CODE SKIPPED earlier once a code is given. */
export function stepToRun(step: OnboardingStep, codeGiven: boolean): boolean {
  if (step.name === "EXCHANGE_CODE") return codeGiven ? step.state !== "DONE" : false;
  return step.state !== "DONE";
}
