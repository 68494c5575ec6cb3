import { hubError } from "../errors.ts";
import { isProvisionalPhoneNumberId } from "../domain/phoneNumbers.ts";
import type { SyncKind } from "../domain/syncDeadline.ts";
import { OnboardingRefused } from "../outbound/onboarding.ts";
import { readSyncState, type StoredSyncRequest, type SyncingNumber, type SyncState } from "../outbound/syncState.ts";
import type { TopicEvent } from "../pubsub.ts";
import { canSeeWaba } from "../tokens/principal.ts";
import type { Context } from "./context.ts";
import { reread, subscribeTo } from "./published.ts";
import { requirePower, wabaScope } from "./scope.ts";
import type { Selection } from "./selection.ts";

/**
 * A number's history sync is a view of the number (the HistorySync type is a variant of
 * PhoneNumber): every number the hub knows has one, NOT_STARTED before any history webhook, with
 * its sync deadline known from onboarding.
 */

/** `historySync(phoneNumberId)`: null only for a number the hub does not know (or the token cannot see). */
export function historySync(query: Selection<"PhoneNumber">, args: { phoneNumberId: string }, ctx: Context) {
  return ctx.db.phoneNumber.findFirst({ ...query, where: { AND: [{ phoneNumberId: args.phoneNumberId }, wabaScope(ctx.principal)] } });
}

/** `historySyncProgress(phoneNumberId)`: history webhooks and sync requests of the number. */
export function historySyncEvents(args: { phoneNumberId: string }, ctx: Context) {
  return subscribeTo(ctx, "historySync", (e) => e.phoneNumberId === args.phoneNumberId);
}

export function historySyncOf(query: Selection<"PhoneNumber">, event: TopicEvent<"historySync">, ctx: Context) {
  return reread(event, query, () => ctx.db.phoneNumber.findUniqueOrThrow({ ...query, where: { phoneNumberId: event.phoneNumberId } }));
}

// Both deadline fields read the same state: once per number row of a response.
const states = new WeakMap<object, Promise<SyncState>>();

/** `HistorySync.deadlineAt` / `deadlineMissed` / `onboardedAt`: from the number's onboarding and its sync requests. */
export function syncStateOf(n: SyncingNumber & { syncRequests: StoredSyncRequest[] }, ctx: Context): Promise<SyncState> {
  let state = states.get(n);
  if (!state) {
    state = readSyncState(ctx.db, n, n.syncRequests);
    states.set(n, state);
  }
  return state;
}

/**
 * `startSync(phoneNumberId, kind)`: asks Meta for the contact or history sync of a number the
 * token can see, with the send power, and answers the number's sync as recorded. Meta's refusal
 * is data (contactsError / historyError, with its code), not a GraphQL error.
 */
export async function startSync(query: Selection<"PhoneNumber">, args: { phoneNumberId: string; kind: SyncKind }, ctx: Context) {
  requirePower(ctx.principal, "send");
  const number = await ctx.db.phoneNumber.findUnique({ where: { phoneNumberId: args.phoneNumberId }, select: { phoneNumberId: true, wabaId: true } });
  // The same answer for an unknown number and another WABA's: a scoped token learns nothing of the other.
  if (!number || !canSeeWaba(ctx.principal, number.wabaId) || isProvisionalPhoneNumberId(number.phoneNumberId)) {
    throw hubError(
      "BAD_USER_INPUT",
      `phoneNumberId: no phone number "${args.phoneNumberId}" that this token can see (Meta's phone_number_id, once a webhook or onboardBusiness named it)`,
    );
  }
  try {
    await ctx.onboarding.startSync(number, args.kind);
  } catch (error) {
    if (error instanceof OnboardingRefused) throw hubError(error.code, error.message);
    throw error;
  }
  return ctx.db.phoneNumber.findUniqueOrThrow({ ...query, where: { phoneNumberId: number.phoneNumberId } });
}
