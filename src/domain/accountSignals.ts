import { z } from "zod";

/**
 * The operators' webhook fields: Meta's word on templates, a number's throughput, name and
 * security, the WABA's capabilities and alerts, and a user's marketing preference. Each change (a
 * user preference: each item) is one event, stored once (AccountSignal) and read back by Meta's
 * time, so what the API shows never depends on the order deliveries arrived in.
 * References: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/<field>
 * (test/fixtures/README.md names the page of each fixture).
 */
export const SIGNAL_FIELDS = [
  "message_template_status_update",
  "template_category_update",
  "message_template_quality_update",
  "phone_number_quality_update",
  "phone_number_name_update",
  "business_capability_update",
  "account_alerts",
  "security",
  "user_preferences",
] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

export const TEMPLATE_FIELDS = ["message_template_status_update", "template_category_update", "message_template_quality_update"] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

export function isTemplateField(field: string): field is TemplateField {
  return (TEMPLATE_FIELDS as readonly string[]).includes(field);
}

// What the rules read from each field's value, as stored in AccountSignal.details. Meta's strings
// are kept as they came (a value this version does not know is decoded to OTHER where the API
// exposes an enum); times are ISO strings so the record survives a JSON column unchanged.
const text = z.string().nullable();
const template = { templateId: text, name: text, language: text };

export const signalDetailsRecord = z.discriminatedUnion("field", [
  z.object({
    field: z.literal("message_template_status_update"),
    ...template,
    event: z.string(),
    reason: text,
    category: text,
    /** disable_info.disable_date, ISO. */
    disableDate: text,
    /** other_info: a pause or unpause (FIRST_PAUSE, UNPAUSE, ...) and Meta's sentence about it. */
    title: text,
    description: text,
    /** rejection_info: why an INVALID_FORMAT rejection, and what to change. */
    rejectionReason: text,
    recommendation: text,
  }),
  z.object({
    field: z.literal("template_category_update"),
    ...template,
    previousCategory: text,
    /** The category now (a completed change: the one it became). */
    newCategory: text,
    /** An announced change: the category it will get, and when (ISO). */
    correctCategory: text,
    categoryUpdateAt: text,
  }),
  z.object({ field: z.literal("message_template_quality_update"), ...template, previousQuality: text, newQuality: z.string() }),
  z.object({
    field: z.literal("phone_number_quality_update"),
    /** display_phone_number, digits. */
    number: z.string(),
    event: z.string(),
    currentLimit: text,
    oldLimit: text,
    maxDailyConversationsPerBusiness: text,
  }),
  z.object({ field: z.literal("phone_number_name_update"), number: z.string(), decision: z.string(), requestedVerifiedName: text, rejectionReason: text }),
  z.object({
    field: z.literal("business_capability_update"),
    /** A tier (TIER_2K) or a count, as Meta sent it. */
    maxDailyConversationsPerBusiness: text,
    maxDailyConversationPerPhone: z.number().nullable(),
    maxPhoneNumbersPerBusiness: z.number().nullable(),
    maxPhoneNumbersPerWaba: z.number().nullable(),
  }),
  z.object({
    field: z.literal("account_alerts"),
    entityType: z.string(),
    entityId: z.string(),
    severity: z.string(),
    status: z.string(),
    type: z.string(),
    description: text,
  }),
  z.object({ field: z.literal("security"), number: z.string(), event: z.string(), requester: text }),
  z.object({
    field: z.literal("user_preferences"),
    phoneNumberId: z.string(),
    waId: text,
    userId: text,
    category: z.string(),
    /** stop or resume, as Meta sent it. */
    value: z.string(),
    detail: text,
  }),
]);
export type SignalDetails = z.infer<typeof signalDetailsRecord>;
export type DetailsOf<F extends SignalField> = Extract<SignalDetails, { field: F }>;

export function isTemplateDetails(d: SignalDetails): d is DetailsOf<TemplateField> {
  return isTemplateField(d.field);
}

/** Whether stored details are those of `field`. */
export function isDetailsOf<F extends SignalField>(d: SignalDetails, field: F): d is DetailsOf<F> {
  return d.field === field;
}

/** One event of an operators' field, as the transport hands it to storage. */
export interface SignalEvent {
  /** Identity: the same event in two deliveries has the same id. */
  id: string;
  wabaId: string;
  /** What it is about (see the subject functions below): events are folded per subject. */
  subject: string;
  /** Meta's time of the event; the delivery's receipt time when Meta gave none. */
  occurredAt: Date;
  raw: Record<string, unknown>;
  details: SignalDetails;
}

/**
 * A Meta string → one of `values` (which end with OTHER), OTHER when it is none of them; null for
 * none. How every enum of these fields is read: Meta adds values, and the raw string stays stored.
 */
export function decodeOr<T extends string>(values: readonly T[], raw: string | null | undefined): T | "OTHER" | null {
  if (raw === null || raw === undefined || raw === "") return null;
  const upper = raw.trim().toUpperCase();
  return values.find((v) => v !== "OTHER" && v === upper) ?? "OTHER";
}

// Subjects: one module spells them (the ingest groups by them, the resolvers look them up).

/** A template, by Meta's id (or, without one, by name and language). */
export function templateSubject(d: { templateId: string | null; name: string | null; language: string | null }): string {
  return d.templateId ? `template:${d.templateId}` : `template:${d.name ?? ""}:${d.language ?? ""}`;
}

/** A business number, by its display number's digits (how these fields name it). */
export function numberSubject(digits: string): string {
  return `number:${digits}`;
}

/** The WABA itself (capabilities). */
export const WABA_SUBJECT = "waba";

/** One alert: its type about one entity; a later event of the same alert replaces it. */
export function alertSubject(d: { entityType: string; entityId: string; type: string }): string {
  return `alert:${d.entityType}:${d.entityId}:${d.type}`;
}

/** A user of a business number, by an identity key (src/domain/identityKey.ts). */
export function userSubject(phoneNumberId: string, identity: string): string {
  return `user:${phoneNumberId}:${identity}`;
}

/** Events in Meta's order: by time, then by id, so events stamped in the same second fold the same way whatever the arrival order. */
export function byMetaTime<E extends { id: string; occurredAt: Date }>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The latest event by Meta's time (see byMetaTime); null for none. */
export function latestByMetaTime<E extends { id: string; occurredAt: Date }>(events: readonly E[]): E | null {
  return byMetaTime(events).at(-1) ?? null;
}
