import { z } from "zod";
import { numberSubject, type SignalEvent } from "../../domain/accountSignals.ts";
import type { WebhookChange } from "../envelope.ts";
import { parseWith } from "./parse.ts";
import { displayDigits, nullableText, orNull, signalEvent } from "./signalEvent.ts";

// The fields about one business number name it by its display number only (digits compared, as
// account_update's phone_number); the WABA is the entry id.
const displayNumber = z.union([z.string(), z.number()]);
const event = z.string().min(1, "event must not be empty");
/** A tier (TIER_2K) in the references, a count in older payloads: kept as text. */
const limit = z.union([z.string(), z.number()]).transform(String).nullish();

// phone_number_quality_update webhook reference (Nov 2025): throughput and messaging-limit
// changes; current_limit and old_limit are being replaced by max_daily_conversations_per_business.
const qualityValue = z.looseObject({
  display_phone_number: displayNumber,
  event,
  current_limit: limit,
  old_limit: limit,
  max_daily_conversations_per_business: limit,
});

export function parseNumberQuality(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(qualityValue, change);
  const number = displayDigits(change, v.display_phone_number);
  const details = {
    field: "phone_number_quality_update" as const,
    number,
    event: v.event,
    currentLimit: orNull(v.current_limit),
    oldLimit: orNull(v.old_limit),
    maxDailyConversationsPerBusiness: orNull(v.max_daily_conversations_per_business),
  };
  return [signalEvent(change, receivedAt, numberSubject(number), details)];
}

// phone_number_name_update webhook reference (Oct 2025): the display name review's outcome.
const nameValue = z.looseObject({
  display_phone_number: displayNumber,
  decision: z.string().min(1, "decision must not be empty"),
  requested_verified_name: nullableText,
  rejection_reason: nullableText,
});

export function parseNumberName(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(nameValue, change);
  const number = displayDigits(change, v.display_phone_number);
  const details = {
    field: "phone_number_name_update" as const,
    number,
    decision: v.decision,
    requestedVerifiedName: orNull(v.requested_verified_name),
    rejectionReason: orNull(v.rejection_reason),
  };
  return [signalEvent(change, receivedAt, numberSubject(number), details)];
}

// security webhook reference (Oct 2025): two-step verification PIN changed, reset requested (with
// the requesting Meta Business Suite user) or reset done.
const securityValue = z.looseObject({ display_phone_number: displayNumber, event, requester: z.union([z.string(), z.number()]).transform(String).nullish() });

export function parseSecurity(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(securityValue, change);
  const number = displayDigits(change, v.display_phone_number);
  const details = { field: "security" as const, number, event: v.event, requester: orNull(v.requester) };
  return [signalEvent(change, receivedAt, numberSubject(number), details)];
}
