import { z } from "zod";
import { templateSubject, type SignalEvent } from "../../domain/accountSignals.ts";
import { unixSeconds, type WebhookChange } from "../envelope.ts";
import { FieldParseError, parseWith } from "./parse.ts";
import { nullableText, orNull, signalEvent, templateId } from "./signalEvent.ts";

// The three template fields name a template the same way. Loose objects: Meta adds keys over
// time, and the value is stored whole (AccountSignal.raw) whatever this version reads of it.
const templateKeys = {
  message_template_id: templateId,
  message_template_name: nullableText,
  message_template_language: nullableText,
};

const templateOf = (v: { message_template_id?: string | null; message_template_name?: string | null; message_template_language?: string | null }) => ({
  templateId: orNull(v.message_template_id),
  name: orNull(v.message_template_name),
  language: orNull(v.message_template_language),
});

/** The template an event is about; one with neither an id nor a name names none and is refused. */
function subjectOf(change: WebhookChange, d: { templateId: string | null; name: string | null; language: string | null }): string {
  if (!d.templateId && !d.name) throw new FieldParseError(change, "expected message_template_id or message_template_name");
  return templateSubject(d);
}

// message_template_status_update webhook reference (May 2026): `event` is the new status;
// disable_info, other_info (a pause or unpause) and rejection_info come only with some events.
const statusValue = z.looseObject({
  ...templateKeys,
  event: z.string().min(1, "event must not be empty"),
  reason: nullableText,
  message_template_category: nullableText,
  disable_info: z.looseObject({ disable_date: unixSeconds.nullish() }).nullish(),
  other_info: z.looseObject({ title: nullableText, description: nullableText }).nullish(),
  rejection_info: z.looseObject({ reason: nullableText, recommendation: nullableText }).nullish(),
});

export function parseTemplateStatus(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(statusValue, change);
  const details = {
    field: "message_template_status_update" as const,
    ...templateOf(v),
    event: v.event,
    reason: orNull(v.reason),
    category: orNull(v.message_template_category),
    disableDate: v.disable_info?.disable_date?.toISOString() ?? null,
    title: orNull(v.other_info?.title),
    description: orNull(v.other_info?.description),
    rejectionReason: orNull(v.rejection_info?.reason),
    recommendation: orNull(v.rejection_info?.recommendation),
  };
  return [signalEvent(change, receivedAt, subjectOf(change, details), details)];
}

// template_category_update webhook reference: an announced change carries correct_category (the
// category to come), new_category (the current one) and category_update_timestamp; a completed one
// previous_category and new_category.
const categoryValue = z.looseObject({
  ...templateKeys,
  previous_category: nullableText,
  new_category: nullableText,
  correct_category: nullableText,
  category_update_timestamp: unixSeconds.nullish(),
});

export function parseTemplateCategory(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(categoryValue, change);
  const details = {
    field: "template_category_update" as const,
    ...templateOf(v),
    previousCategory: orNull(v.previous_category),
    newCategory: orNull(v.new_category),
    correctCategory: orNull(v.correct_category),
    categoryUpdateAt: v.category_update_timestamp?.toISOString() ?? null,
  };
  return [signalEvent(change, receivedAt, subjectOf(change, details), details)];
}

// message_template_quality_update webhook reference: GREEN, YELLOW, RED or UNKNOWN (kept as sent).
const qualityValue = z.looseObject({
  ...templateKeys,
  previous_quality_score: nullableText,
  new_quality_score: z.string().min(1, "new_quality_score must not be empty"),
});

export function parseTemplateQuality(change: WebhookChange, receivedAt: Date): SignalEvent[] {
  const v = parseWith(qualityValue, change);
  const details = {
    field: "message_template_quality_update" as const,
    ...templateOf(v),
    previousQuality: orNull(v.previous_quality_score),
    newQuality: v.new_quality_score,
  };
  return [signalEvent(change, receivedAt, subjectOf(change, details), details)];
}
