import type { MetaPayload, SampleBusiness } from "./samples.ts";

/**
 * Sample payloads of the operators' fields, in the shapes of Meta's webhook references (see
 * test/fixtures/README.md): templates, a number's quality, name and security, capabilities,
 * alerts and a user's marketing preference. Builders only; ids and times come from the caller.
 */

const change = (wabaId: string, field: string, value: Record<string, unknown>, time?: number): MetaPayload => ({
  object: "whatsapp_business_account",
  entry: [{ id: wabaId, ...(time === undefined ? {} : { time }), changes: [{ value, field }] }],
});

export interface SampleTemplate {
  templateId: number;
  name: string;
  language: string;
  category: "MARKETING" | "UTILITY" | "AUTHENTICATION";
}

export const templateStatus = (b: SampleBusiness, t: SampleTemplate, event: string, time: number, reason = "NONE") =>
  change(
    b.wabaId,
    "message_template_status_update",
    {
      event,
      message_template_id: t.templateId,
      message_template_name: t.name,
      message_template_language: t.language,
      reason,
      message_template_category: t.category,
    },
    time,
  );

export const templateQuality = (b: SampleBusiness, t: SampleTemplate, previous: string, next: string, time: number) =>
  change(
    b.wabaId,
    "message_template_quality_update",
    {
      previous_quality_score: previous,
      new_quality_score: next,
      message_template_id: t.templateId,
      message_template_name: t.name,
      message_template_language: t.language,
    },
    time,
  );

export const numberQuality = (b: SampleBusiness, event: string, limit: string, time: number) =>
  change(b.wabaId, "phone_number_quality_update", { display_phone_number: b.displayNumber, event, max_daily_conversations_per_business: limit }, time);

export const numberName = (b: SampleBusiness, decision: string, name: string, time: number) =>
  change(
    b.wabaId,
    "phone_number_name_update",
    { display_phone_number: b.displayNumber, decision, requested_verified_name: name, rejection_reason: null },
    time,
  );

export const securityEvent = (b: SampleBusiness, event: string, time: number, requester?: string) =>
  change(b.wabaId, "security", { display_phone_number: b.displayNumber, event, ...(requester ? { requester } : {}) }, time);

export const capabilities = (wabaId: string, messagingLimit: number | string, maxPhoneNumbers: number, time: number) =>
  change(wabaId, "business_capability_update", { max_daily_conversations_per_business: messagingLimit, max_phone_numbers_per_waba: maxPhoneNumbers }, time);

export interface SampleAlert {
  entityType: "BUSINESS" | "PHONE_NUMBER";
  entityId: string;
  severity: "CRITICAL" | "WARNING" | "INFORMATIONAL";
  status: "ACTIVE" | "NONE";
  type: string;
  description: string;
}

export const accountAlert = (wabaId: string, a: SampleAlert, time: number) =>
  change(
    wabaId,
    "account_alerts",
    {
      entity_type: a.entityType,
      entity_id: a.entityId,
      alert_info: { alert_severity: a.severity, alert_status: a.status, alert_type: a.type, alert_description: a.description },
    },
    time,
  );

/** A user's stop or resume of marketing messages (user_preferences), timed by the item. */
export const marketingPreference = (b: SampleBusiness, user: string, value: "stop" | "resume", at: number) =>
  change(b.wabaId, "user_preferences", {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: b.displayNumber, phone_number_id: b.phoneNumberId },
    contacts: [{ wa_id: user }],
    user_preferences: [{ wa_id: user, detail: `User requested to ${value} marketing messages`, category: "marketing_messages", value, timestamp: at }],
  });
