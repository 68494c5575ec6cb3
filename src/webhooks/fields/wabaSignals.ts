import { z } from "zod";
import { WABA_SUBJECT, alertSubject, type SignalEvent } from "../../domain/accountSignals.ts";
import { metaId, type WebhookChange } from "../envelope.ts";
import { parseAt } from "./mirrorCommon.ts";
import { FieldParseError, parseWith } from "./parse.ts";
import { nullableCount, nullableText, orNull, signalEvent } from "./signalEvent.ts";

// business_capability_update webhook reference (Nov 2025, May 2026): each key only when it applies
// (max_phone_numbers_per_business at the 250 tier, max_phone_numbers_per_waba otherwise);
// max_daily_conversations_per_business is a tier name in the parameters table and a count in the
// example, so it is kept as text.
const capabilityValue = z.looseObject({
  max_daily_conversation_per_phone: nullableCount,
  max_daily_conversations_per_business: z.union([z.string(), z.number()]).transform(String).nullish(),
  max_phone_numbers_per_business: nullableCount,
  max_phone_numbers_per_waba: nullableCount,
});

export function parseCapabilities(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(capabilityValue, change);
  const details = {
    field: "business_capability_update" as const,
    maxDailyConversationsPerBusiness: orNull(v.max_daily_conversations_per_business),
    maxDailyConversationPerPhone: orNull(v.max_daily_conversation_per_phone),
    maxPhoneNumbersPerBusiness: orNull(v.max_phone_numbers_per_business),
    maxPhoneNumbersPerWaba: orNull(v.max_phone_numbers_per_waba),
  };
  if (Object.values(details).every((d) => d === null || d === details.field)) {
    throw new FieldParseError(change, "expected at least one of max_daily_conversations_per_business, max_phone_numbers_per_waba, …");
  }
  return [signalEvent(change, receivedAt, WABA_SUBJECT, details)];
}

// account_alerts webhook reference: an alert about the business portfolio, a number or its profile
// (messaging limit increase deferred or refused, Official Business Account decision, profile photo
// removed); alert_status ACTIVE or NONE. The reference nests the alert in alert_info; the App
// Dashboard's test sample puts the same keys on the value itself, so both are read.
const alertInfo = z.looseObject({
  alert_severity: z.string().min(1, "alert_severity must not be empty"),
  alert_status: z.string().min(1, "alert_status must not be empty"),
  alert_type: z.string().min(1, "alert_type must not be empty"),
  alert_description: nullableText,
});
const alertValue = z.looseObject({
  entity_type: z.string().min(1, "entity_type must not be empty"),
  entity_id: metaId,
  alert_info: z.unknown().optional(),
});

export function parseAlert(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(alertValue, change);
  const info = parseAt(alertInfo, v.alert_info ?? change.value, change, v.alert_info === undefined ? [] : ["alert_info"]);
  const details = {
    field: "account_alerts" as const,
    entityType: v.entity_type,
    entityId: v.entity_id,
    severity: info.alert_severity,
    status: info.alert_status,
    type: info.alert_type,
    description: orNull(info.alert_description),
  };
  return [signalEvent(change, receivedAt, alertSubject(details), details)];
}
