import { hubError } from "../errors.ts";
import { onboardingSteps, type OnboardingStep } from "../domain/onboardingSteps.ts";
import { OnboardingRefused } from "../outbound/onboarding.ts";
import { readSyncState, type StoredSyncRequest, type SyncingNumber } from "../outbound/syncState.ts";
import { onboardingStepsColumn } from "../storage/columns.ts";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { requirePower } from "./scope.ts";
import type { Selection } from "./selection.ts";

// Meta's ids are decimal numbers; anything else is refused before Meta is called.
const META_ID = /^\d{1,32}$/;

/**
 * `onboardBusiness(wabaId, phoneNumberId, code)`: the admin power (it stores the credential every
 * later call for the WABA uses, and subscribes the app to the WABA's webhooks) and a token that
 * sees the WABA. Meta's refusals are the steps' errors, not GraphQL errors.
 */
export async function onboardBusiness(query: Selection<"Onboarding">, args: { wabaId: string; phoneNumberId: string; code?: string | null }, ctx: Context) {
  requirePower(ctx.principal, "admin");
  if (!META_ID.test(args.wabaId) || !META_ID.test(args.phoneNumberId)) throw hubError("BAD_USER_INPUT", "wabaId and phoneNumberId: Meta's ids, digits only");
  if (!canSeeWaba(ctx.principal, args.wabaId)) throw hubError("FORBIDDEN", `this token's scope does not name WABA ${args.wabaId}`);
  const code = args.code?.trim() || null;
  if (code !== null && code.length > 2000) throw hubError("BAD_USER_INPUT", "code: at most 2000 characters");
  try {
    await ctx.onboarding.onboardBusiness({ wabaId: args.wabaId, phoneNumberId: args.phoneNumberId, code });
  } catch (error) {
    if (error instanceof OnboardingRefused) throw hubError(error.code, error.message);
    throw error;
  }
  return ctx.db.onboarding.findUniqueOrThrow({ ...query, where: { phoneNumberId: args.phoneNumberId } });
}

/** `Onboarding.steps`: the stored steps, the number's sync requests, judged against its latest onboarding. */
export async function stepsOf(
  o: { steps: unknown; phoneNumber: SyncingNumber & { syncRequests: StoredSyncRequest[] } },
  ctx: Context,
): Promise<OnboardingStep[]> {
  const state = await readSyncState(ctx.db, o.phoneNumber, o.phoneNumber.syncRequests);
  return onboardingSteps(onboardingStepsColumn.read(o.steps), { contacts: state.attempts.CONTACTS, history: state.attempts.HISTORY }, state.onboardedAt);
}
